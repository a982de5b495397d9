"""A self-contained HTML report: disagreements first, then the timeline, positions, quotes and sources.

No scripts or external assets, so the file can be mailed or archived as it is.
"""

from __future__ import annotations

from collections import defaultdict
from html import escape
from typing import Any

from parley.report.model import ReportData, gather
from parley.store import Store

QUAD = {  # PLOVER type -> (quad class, label) for colour
    **dict.fromkeys(["AGREE", "CONSULT", "SUPPORT"], ("vcoop", "verbal cooperation")),
    **dict.fromkeys(["COOPERATE", "AID", "RETREAT", "CONCEDE"], ("mcoop", "material cooperation")),
    **dict.fromkeys(["REQUEST", "ACCUSE", "REJECT", "THREATEN", "SANCTION"], ("vconf", "verbal conflict")),
    **dict.fromkeys(["PROTEST", "MOBILIZE", "COERCE", "ASSAULT"], ("mconf", "material conflict")),
}

CSS = """
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2330;color:#fff;padding:18px 32px}header h1{margin:0 0 6px;font-size:22px}
main{max-width:1180px;margin:0 auto;padding:8px 32px 48px}h2{margin:32px 0 10px;font-size:18px}
.stats{display:flex;gap:22px;flex-wrap:wrap}.stat b{display:block;font-size:22px}.stat{font-size:12px;opacity:.85}
.card{background:#fff;border:1px solid #e1e4ea;border-radius:8px;padding:12px 16px;margin:10px 0}
.conflict{border-left:4px solid #c2410c}.muted{color:#667085;font-size:13px}
table{border-collapse:collapse;width:100%;background:#fff;font-size:14px}
th,td{border:1px solid #e1e4ea;padding:6px 8px;text-align:left;vertical-align:top}th{background:#eef0f4}
.chip{display:inline-block;border-radius:10px;padding:1px 8px;margin:1px 2px;font-size:12px;font-weight:600}
.vcoop{background:#dcfce7;color:#166534}.mcoop{background:#dbeafe;color:#1e40af}
.vconf{background:#ffedd5;color:#9a3412}.mconf{background:#fee2e2;color:#991b1b}
.asserted{background:#e5e7eb;color:#111827}.negated{background:#fecaca;color:#7f1d1d}
.conditional,.hedged,.future{background:#fef9c3;color:#713f12}.retracted{background:#e9d5ff;color:#581c87}
mark{background:#fde68a;padding:0 2px}details summary{cursor:pointer}
.reading{margin:6px 0 6px 4px}.outlet{font-weight:600}blockquote{margin:6px 0;padding-left:10px;border-left:3px solid #cbd2dc}
"""


def _chip(text: str, cls: str, title: str = "") -> str:
    return f'<span class="chip {cls}" title="{escape(title)}">{escape(text)}</span>'


def _evidence(mention: dict[str, Any]) -> str:
    """The sentence with its trigger highlighted."""
    sentence, trigger = mention["sentence"], mention["trigger"]["text"]
    at = sentence.find(trigger)
    if at < 0:
        return escape(sentence)
    return escape(sentence[:at]) + f"<mark>{escape(trigger)}</mark>" + escape(sentence[at + len(trigger):])


def _who(refs: list[dict[str, Any]]) -> str:
    return ", ".join(escape(r.get("name") or r["text"]) + (f" <span class=muted>{escape(r['code'])}</span>"
                                                            if r.get("code") else "") for r in refs)


def _attribution_sides(conflict: dict[str, Any]) -> list[str]:
    """Each side of an attribution conflict: who its outlets say spoke, in their own words."""
    out = []
    for side in conflict["details"].get("sides", []):
        for m in side["mentions"]:
            out.append(f'<div class="reading"><span class="outlet">{escape(m["outlet"])}</span>: said by '
                       f'<b>{escape(side["speaker"])}</b> <span class="muted">(written: {escape(m["speaker_text"] or "")}, '
                       f'{escape(m["cue"] or "")})</span><blockquote>{escape(m["text"])}</blockquote></div>')
    for relay in conflict["details"].get("through", []):
        out.append(f'<div class="reading"><span class="outlet">{escape(relay["outlet"])}</span>: '
                   f'{escape(relay["speaker"])} spoke through {escape(relay["via"])}</div>')
    return out


def _conflicts(data: ReportData) -> list[str]:
    out = [f"<h2>Where sources disagree ({len(data.conflicts)})</h2>"]
    if not data.conflicts:
        out.append('<p class="muted">No disagreement found between sources.</p>')
    for c in data.conflicts:
        out.append(f'<div class="card conflict"><b>{escape(c["subject"])}</b> {_chip(c["kind"], "vconf")}')
        if c["kind"] == "attribution":
            out.extend(_attribution_sides(c))
            out.append("</div>")
            continue
        values = {claim["mention_id"]: claim["value"] for claim in c.get("claims", [])}
        for item_id in c["mention_ids"]:
            if item_id in data.mentions:
                m = data.mentions[item_id]
                value = values.get(item_id, m["modality"])
                out.append(f'<div class="reading"><span class="outlet">{escape(data.outlet_of.get(m["doc_id"], m["doc_id"]))}</span> '
                           f'{_chip(m["event"], QUAD.get(m["event"], ("", ""))[0])}{_chip(str(value), m["modality"])}'
                           f'<blockquote>{_evidence(m)}</blockquote></div>')
        out.append("</div>")
    return out


def _timeline(data: ReportData, limit: int) -> list[str]:
    events = data.timeline()[:limit]
    out = [f"<h2>Timeline ({len(events)} dated events with a known actor)</h2>",
           "<table><tr><th>date</th><th>event</th><th>who</th><th>to whom</th><th>as reported</th><th>evidence</th></tr>"]
    for e in events:
        mentions = [data.mentions[i] for i in e["mention_ids"] if i in data.mentions]
        head = mentions[0] if mentions else None
        quad, label = QUAD.get(e["event"], ("", ""))
        modal = "".join(_chip(f"{k} {v}", k) for k, v in e["modalities"].items())
        sources = f'{e["n_independent"]} independent source{"s" if e["n_independent"] != 1 else ""}'
        if e["n_mentions"] != e["n_independent"]:
            sources += f' ({e["n_mentions"]} mentions)'
        evidence = ""
        if mentions:
            items = "".join(f'<div class="reading"><span class="outlet">{escape(data.outlet_of.get(m["doc_id"], m["doc_id"]))}</span>: '
                            f'{_evidence(m)}</div>' for m in mentions)
            evidence = f"<details><summary>{len(mentions)} sentence(s)</summary>{items}</details>"
        out.append(f"<tr><td>{escape(e['date'])}</td><td>{_chip(e['event'], quad, label)}"
                   f"<div class=muted>{escape(e.get('cameo') or '')} {escape(e.get('mode') or '')}</div></td>"
                   f"<td>{_who(head['actor']) if head else ''}</td><td>{_who(head['recipient']) if head else ''}</td>"
                   f"<td>{modal}<div class=muted>{sources}</div></td><td>{evidence}</td></tr>")
    out.append("</table>")
    return out


def _positions(data: ReportData) -> list[str]:
    table = data.positions_by_issue()
    parties = sorted({party for parties in table.values() for party in parties})
    evidence: dict[tuple[str, str], list[str]] = defaultdict(list)
    for p in data.positions:
        evidence[(p["issue"], p["actor"])].append(f"{p['stance']} ({p['modality']}): {p['content']}")
    out = ["<h2>Positions by issue</h2>", '<p class="muted">Stances each party\u2019s reported events take on each '
           "issue; hover a cell for the evidence.</p>",
           "<table><tr><th>issue</th>" + "".join(f"<th>{escape(p)}</th>" for p in parties) + "</tr>"]
    for issue, by_party in table.items():
        cells = []
        for party in parties:
            stances = by_party.get(party)
            title = "\n".join(evidence[(issue, party)][:8])
            cells.append(f'<td title="{escape(title)}">' + ("".join(
                _chip(f"{s} {n}", "vconf" if s in {"reject", "oppose", "pressure", "condition", "demand"} else "vcoop")
                for s, n in stances.most_common()) if stances else "") + "</td>")
        out.append(f"<tr><th>{escape(issue.replace('_', ' '))}</th>{''.join(cells)}</tr>")
    out.append("</table>")
    return out


def _quotes(data: ReportData, limit: int = 40) -> list[str]:
    """Quotes by speaker, each with every outlet that reports it; a disputed speaker is flagged."""
    spoken = [q for q in data.quotes if q.get("speaker") and q["kind"] in ("direct", "mixed")]
    by_speaker: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for q in spoken:
        by_speaker[q["speaker"]["name"]].append(q)
    out = [f"<h2>Who said what ({len(spoken)} attributed quotes)</h2>"]
    for speaker, quotes in sorted(by_speaker.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:limit]:
        items = []
        for q in quotes:
            outlets = ", ".join(sorted({escape(m["outlet"] or data.outlet_of.get(m["doc_id"], m["doc_id"]))
                                        for m in q["mentions"]}))
            disputed = (f' {_chip("speaker disputed: " + " / ".join(q["speakers"]), "vconf")}'
                        if q.get("conflict_id") else "")
            items.append(f'<blockquote>{escape(q["text"])} <span class="muted">— {outlets}</span>{disputed}'
                         f'</blockquote>')
        out.append(f'<div class="card"><b>{escape(speaker)}</b> <span class="muted">{len(quotes)} quote(s)</span>'
                   f'{"".join(items)}</div>')
    return out


def _documents(data: ReportData) -> list[str]:
    out = ["<h2>Sources</h2>",
           "<table><tr><th>published</th><th>outlet</th><th>title</th><th>id</th><th>copy of</th></tr>"]
    for d in data.documents:
        when = (d["published"] or "undated") + (" (inferred)" if d["date_source"] == "inferred" else "")
        title = escape(d["title"] or "")
        if d.get("url"):
            title = f'<a href="{escape(d["url"])}">{title or escape(d["url"])}</a>'
        out.append(f"<tr><td>{escape(when)}</td><td>{escape(d['outlet'] or '')}</td><td>{title}</td>"
                   f"<td class=muted>{escape(d['doc_id'])}</td>"
                   f"<td class=muted>{escape(d.get('copy_of') or '')}</td></tr>")
    out.append("</table>")
    return out


def render_html(source: Store | ReportData, top: int = 200) -> str:
    data = source if isinstance(source, ReportData) else gather(source)
    c = data.counts
    stats = "".join(f'<div class="stat"><b>{c[k]}</b>{label}</div>' for k, label in [
        ("documents", "documents"), ("events", "events"), ("event_mentions", "event mentions"),
        ("quotes", "quotes"), ("conflicts", "disagreements"), ("positions", "positions"), ("actors", "actors")])
    body = [*_conflicts(data), *_timeline(data, top), *_positions(data), *_quotes(data), *_documents(data)]
    return (
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>Parley report</title>"
        f"<style>{CSS}</style></head><body><header><h1>Parley report</h1><div class=stats>{stats}</div>"
        f"</header><main>{''.join(body)}</main></body></html>\n"
    )
