"""Plain-text report for the terminal."""

from __future__ import annotations

from parley.report.model import ReportData, gather
from parley.store import Store


def _clip(text: str, limit: int = 110) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def render_text(source: Store | ReportData, top: int = 15) -> str:
    data = source if isinstance(source, ReportData) else gather(source)
    c = data.counts
    lines = [
        f"Parley store {data.path}: {c['documents']} documents, {c['event_mentions']} event mentions "
        f"-> {c['events']} events, {c['quote_mentions']} quote mentions -> {c['quotes']} quotes, "
        f"{c['conflicts']} conflicts, "
        f"{c['positions']} positions, {c['actors']} actors",
        "",
        "Documents",
    ]
    for d in data.documents:
        when = (f"{d['published']}{' (inferred)' if d['date_source'] == 'inferred' else ''}"
                if d["published"] else "undated")
        copy = f"  [copy of {d['copy_of']}]" if d.get("copy_of") else ""
        lines.append(f"  {d['doc_id']}  {when:<22} {_clip(d['outlet'], 40):<40} {_clip(d['title'] or '', 60)}{copy}")
    shown = [e for e in data.events if e["actor_names"]][:top]
    lines += ["", f"Events most reported (top {len(shown)} of {len(data.events)})"]
    for e in shown:
        who = ", ".join(e["actor_names"])
        whom = ", ".join(e["recipient_names"])
        modal = "/".join(f"{k}:{v}" for k, v in e["modalities"].items())
        lines.append(f"  {e['date'] or '':<10}  {e['event']:<9} {who}{' -> ' + whom if whom else ''}"
                     f"  [{modal}; {e['n_independent']} independent of {e['n_mentions']} mentions"
                     f"{'; single source' if e.get('single_source') else ''}]")
    shared = [q for q in data.quotes if q["n_mentions"] > 1][:top]
    lines += ["", f"Quotes reported more than once ({len(shared)} shown of {len(data.quotes)} quotes)"]
    for q in shared:
        who = (q["speaker"] or {}).get("name") or "unattributed"
        if q.get("conflict_id"):
            who = " or ".join(q["speakers"]) + " (disputed)"
        outlets = ", ".join(sorted({m["outlet"] or data.outlet_of.get(m["doc_id"], m["doc_id"]) for m in q["mentions"]}))
        lines.append(f"  {who}: \u201c{_clip(q['text'], 90)}\u201d  [{q['kind']}; {q['n_mentions']} mentions, "
                     f"{q['n_independent']} independent: {outlets}]")
    lines += ["", f"Where sources disagree ({len(data.conflicts)})"]
    for conflict in data.conflicts:
        lines.append(f"  [{conflict['kind']}] {_clip(conflict['subject'], 80)}")
        lines.append(f"      {_clip(conflict['description'], 200)}")
    lines += ["", "Positions by issue"]
    for issue, parties in data.positions_by_issue().items():
        summary = "; ".join(f"{party}: " + ", ".join(f"{s} x{n}" for s, n in stances.most_common())
                            for party, stances in sorted(parties.items()))
        lines.append(f"  {issue:<20} {summary}")
    return "\n".join(lines)
