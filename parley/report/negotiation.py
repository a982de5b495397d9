"""`parley negotiation`: where each negotiation stands, as text for the terminal."""

from __future__ import annotations

from typing import Any

from parley.store import Store


def _terms(terms: dict[str, Any]) -> str:
    parts = []
    for key, value in terms.items():
        if key == "qualifiers":
            parts.append(" ".join(value))
        elif key == "dates":
            parts.append(", ".join(value))
        else:
            number = value["text"] if isinstance(value, dict) else (
                f"{value:,.0f}" if isinstance(value, float) and value.is_integer() else value)
            parts.append(f"{number} {key}" if not isinstance(value, dict) else number)
    return "; ".join(parts)


def _clip(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def render_negotiations(store: Store, issue: str | None = None) -> str:
    records = store.records("negotiations")
    if not records:
        return "No negotiation found: no party takes a stance on an issue in the stored reports."
    lines: list[str] = []
    for n in records:
        names = lambda group: ", ".join(f"{a['name']} ({a['code']})" for a in group) or "none found"  # noqa: E731
        lines += [f"Negotiation: {n['title']}",
                  f"  parties: {names(n['parties'])}",
                  f"  mediators: {names(n['mediators'])}",
                  f"  third parties: {names(n['third_parties'])}", ""]
        for row in n["issues"]:
            if issue and row["issue"] != issue:
                continue
            gap = row["gap"]
            verdict = {True: "compatible", False: "apart", None: "undetermined"}[gap["compatible"]]
            lines.append(f"{row['label']} [{row['issue']}]: {verdict}; trend {gap['trend']}; "
                         f"{row['n_positions']} positions, {row['n_evidence']} reports")
            for g in gap["terms"]:
                values = " vs ".join(f"{k} {v:g}" for k, v in g.items() if k not in ("unit", "difference", "ratio"))
                lines.append(f"    gap in {g['unit']}: {values} (difference {g['difference']:g})")
            for side in sorted(row["sides"], key=lambda s: (s["role"] != "party", s["actor"])):
                latest = side.get("latest")
                if not latest:
                    continue
                terms = _terms(latest["terms"])
                lines.append(f"  {side['actor']:<5} {latest['stance']:<9} {latest['date'] or 'undated':<10} "
                             f"{('[' + terms + '] ') if terms else ''}{_clip(latest['content'], 90)}"
                             f"  ({len(side['history'])} positions)")
        lines += ["", "Mediator status"]
        for step in n["mediator_status"]:
            readings = "; ".join(f"{r['outlet']}: {r['status']}" for r in step["readings"])
            lines.append(f"  {step['date'] or 'undated'} {step['when'] or '':<12} {'/'.join(step['mediator'])} "
                         f"{step['status']}{' (contested)' if step['contested'] else ''} - {_clip(readings, 110)}")
            for c in step["clarified"]:
                lines.append(f"      clarified ({c['outlet']}): {_clip(c['text'], 100)}")
        lines += ["", "Conditions and ultimatums"]
        for c in n["conditions"]:
            steps = " -> ".join(f"{h['status']}" + (f" {h['date']}" if h["date"] else "") for h in c["history"])
            lines.append(f"  {'/'.join(c['actor'])}: {_clip(c['consequence'], 70)} | {c['condition']}"
                         f"{' | deadline ' + c['deadline'] if c['deadline'] else ''} | {steps}")
        lines += ["", "Agreements"]
        for a in n["agreements"]:
            nxt = "; next: " + ", ".join(f"{s['status']} {s['when'] or s['date'] or ''}".strip() for s in a["next"]) \
                if a["next"] else ""
            lines.append(f"  {a['name']}{' (' + a['label'] + ')' if a['label'] else ''}: {a['status']} by "
                         f"{', '.join(a['signatories']) or '?'}"
                         f"{' on ' + a['date'] if a['date'] else ''}{nxt}")
        o = n["overview"]
        lines += ["", f"Overview: compatible {', '.join(o['agreed']) or '-'}; apart {', '.join(o['open']) or '-'}; "
                      f"narrowed {', '.join(o['narrowed']) or '-'}; widened {', '.join(o['widened']) or '-'}", ""]
    return "\n".join(lines)
