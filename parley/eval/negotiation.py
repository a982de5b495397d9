"""The negotiation model against an answer key: `python -m parley.eval negotiation FOLDER`.

FOLDER holds the reports and `expected.yaml` (see tests/data/negotiations/armenia_azerbaijan/README.md). The
reports are analysed into a fresh database and each checkable item of the key is scored right or wrong: roles,
each party's latest stance per issue, conditions and their status, the mediator's statuses, agreements, the
gap in comparable terms, and copies. Prints one line per item and the share right per part.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from parley.datafiles import read_yaml
from parley.negotiation.positions import DAYS_PER


def _analyze(folder: Path, db: str) -> dict[str, Any]:
    from parley.config import Settings
    from parley.pipeline import Pipeline
    from parley.store import Store

    with Store(db) as store:
        Pipeline(Settings(progress=False)).run([str(folder)], store)
        (negotiation,) = store.records("negotiations") or [None]
        sources = {d.doc_id: Path(d.source).name for d in store.documents()}
        copies = {sources[r["doc_id"]]: sources[r["copy_of"]] for r in store.query("SELECT * FROM copies")
                  if r["copy_of"]}
    return {"negotiation": negotiation or {}, "copies": copies}


def score(key: dict[str, Any], found: dict[str, Any]) -> list[tuple[str, str, bool, str]]:
    """(part, item, right, what was found) for each checkable item of the key."""
    n = found["negotiation"]
    rows: list[tuple[str, str, bool, str]] = []
    parties = sorted(p["code"] for p in n.get("parties", []))
    mediators = sorted(m["code"] for m in n.get("mediators", []))
    rows.append(("roles", "parties", parties == sorted(key.get("parties", [])), ", ".join(parties)))
    rows.append(("roles", "mediators", mediators == sorted(key.get("mediators", [])), ", ".join(mediators)))
    issues = {i["issue"]: i for i in n.get("issues", [])}
    for issue, sides in (key.get("issues") or {}).items():
        for code, expected in sides.items():
            side = next((s for s in issues.get(issue, {}).get("sides", []) if s["actor"] == code), {})
            stance = (side.get("latest") or {}).get("stance")
            rows.append(("latest stance", f"{issue} {code}",
                         stance in expected.get("acceptable", [expected["latest"]]), str(stance)))
    for expected in key.get("conditions") or []:
        found_c = next((c for c in n.get("conditions", []) if expected["actor"] in c["actor"]), None)
        status = found_c["status"] if found_c else None
        rows.append(("conditions", f"{expected['actor']} {expected['status']}", status == expected["status"],
                     str(status)))
    steps = defaultdict(set)
    for s in n.get("mediator_status", []):
        for m in s["mediator"]:
            steps[m].add(s["status"])
    for expected in key.get("mediator_status") or []:
        rows.append(("mediator status", f"{expected['date']} {expected['mediator']} {expected['status']}",
                     expected["status"] in steps[expected["mediator"]], ", ".join(sorted(steps[expected["mediator"]]))))
    for expected in key.get("agreements") or []:
        got = next((a for a in n.get("agreements", []) if sorted(a["signatories"]) == sorted(expected["signatories"])),
                   None)
        rows.append(("agreements", f"{expected['what']} {expected['status']}",
                     bool(got) and got["status"] == expected["status"] and got["date"] == str(expected["date"]),
                     f"{got['status']} {got['date']}" if got else "none"))
    for expected in key.get("gap") or []:
        gap = issues.get(expected["issue"], {}).get("gap", {})
        # Durations compare in days: "ARM: 6, ARM_unit: months" is 182 days.
        wanted = {c: v * DAYS_PER.get(expected.get(f"{c}_unit", "days"), 1) for c, v in expected.items()
                  if isinstance(v, (int, float)) and not c.endswith("_unit")}
        right = any(all(g.get(c) is not None and abs(g[c] - v) <= 1 for c, v in wanted.items())
                    for g in gap.get("terms", []))
        rows.append(("gap", f"{expected['issue']}", right, str(gap.get("terms"))))
    for expected in key.get("copies") or []:
        rows.append(("copies", f"{expected['copy']} of {expected['of']}",
                     found["copies"].get(expected["copy"]) == expected["of"], str(found["copies"])))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m parley.eval negotiation", description=__doc__)
    parser.add_argument("folder", help="reports and expected.yaml")
    args = parser.parse_args(argv)
    folder = Path(args.folder)
    key = read_yaml(folder / "expected.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        found = _analyze(folder, str(Path(tmp) / "negotiation.duckdb"))
    rows = score(key, found)
    by_part: dict[str, list[bool]] = defaultdict(list)
    for part, item, right, got in rows:
        by_part[part].append(right)
        print(f"{'ok  ' if right else 'MISS'} {part:16} {item:45} {got[:60]}")
    print()
    for part, results in by_part.items():
        print(f"{part:16} {sum(results)}/{len(results)}")
    total = [r for results in by_part.values() for r in results]
    print(f"{'all':16} {sum(total)}/{len(total)} = {sum(total) / len(total):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
