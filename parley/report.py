"""Report stage: a readable summary of what the store knows."""

from __future__ import annotations

from collections import Counter, defaultdict

from parley.store import Store


def _quote(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def render_text(store: Store, top: int = 15) -> str:
    counts = store.counts()
    lines = [
        f"Parley store {store.path}: {counts['documents']} documents, {counts['event_mentions']} event mentions "
        f"-> {counts['events']} events, {counts['quotes']} quotes, {counts['conflicts']} conflicts, "
        f"{counts['positions']} positions, {counts['actors']} actors",
        "",
    ]
    docs = store.query("SELECT doc_id, coalesce(outlet, source) AS outlet, published, date_source, title"
                       " FROM documents ORDER BY published NULLS LAST, doc_id")
    lines.append("Documents")
    for d in docs:
        when = f"{d['published']}{' (inferred)' if d['date_source'] == 'inferred' else ''}" if d["published"] else "undated"
        lines.append(f"  {d['doc_id']}  {when:<22} {_quote(d['outlet'] or '', 40):<40} {_quote(d['title'] or '', 60)}")
    events = sorted(store.records("events"), key=lambda e: (-e["n_independent"], -e["n_mentions"], e["event_id"]))
    lines += ["", f"Events most reported (top {min(top, len(events))} of {len(events)})"]
    for e in events[:top]:
        who = ", ".join(e["actor_names"]) or "?"
        whom = ", ".join(e["recipient_names"])
        modal = "/".join(f"{k}:{v}" for k, v in e["modalities"].items())
        lines.append(f"  {e['date'] or '          '}  {e['event']:<9} {who}{' -> ' + whom if whom else ''}"
                     f"  [{modal}; {e['n_independent']} independent of {e['n_mentions']} mentions]")
    conflicts = store.records("conflicts")
    lines += ["", f"Where sources disagree ({len(conflicts)})"]
    for c in conflicts:
        lines.append(f"  [{c['kind']}] {_quote(c['subject'], 80)}")
        lines.append(f"      {_quote(c['description'], 200)}")
    positions = store.records("positions")
    by_issue: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for p in positions:
        by_issue[p["issue"]][p["party_code"]][p["stance"]] += 1
    lines += ["", "Positions by issue"]
    for issue in sorted(by_issue):
        parties = "; ".join(
            f"{party}: " + ", ".join(f"{s} x{n}" for s, n in stances.most_common())
            for party, stances in sorted(by_issue[issue].items())
        )
        lines.append(f"  {issue:<20} {parties}")
    return "\n".join(lines)
