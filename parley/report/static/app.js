/* Parley report and web app.
 *
 * One script for both: a report file carries its data in the JSON element #parley-data; the web app (body
 * data-mode="live") fetches the same views from /api/report with the filters of the form. Every text from the
 * data goes into the page through textContent (the h() helper) and every chart tooltip through esc(), so
 * article text cannot inject markup or scripts.
 */
(function () {
  "use strict";
  const LIVE = document.body.dataset.mode === "live";
  const QUAD_COLOURS = {1: "#16a34a", 2: "#2563eb", 3: "#ea580c", 4: "#dc2626"};
  const QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"};
  const MODALITY_SYMBOLS = {asserted: "circle", conditional: "diamond", hedged: "triangle", future: "rect",
    negated: "emptyCircle", retracted: "pin"};
  let VIEWS = null;         // the views on screen
  let DOCUMENTS = {};       // doc_id -> document (report file: all cited; web app: fetched on demand)
  const charts = [];

  // -- small helpers -------------------------------------------------------------------------------------------
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") el.className = v;
      else if (k === "text") el.textContent = v;
      else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }
  function esc(s) {
    return String(s === null || s === undefined ? "" : s).replace(/[&<>"']/g,
      (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
  }
  const slug = (s) => String(s || "").toLowerCase().replace(/[^a-z0-9]+/g, "-");
  const chip = (text, cls, title) => h("span", {class: "chip " + (cls || ""), title: title || null}, text);
  const plural = (n, word) => n + " " + word + (n === 1 ? "" : "s");
  const clip = (s, n) => { s = String(s || "").replace(/\s+/g, " ").trim(); return s.length > n ? s.slice(0, n - 1) + "\u2026" : s; };

  function evLink(ev, label) {
    if (!ev || !ev.doc_id) return null;
    const href = "#doc=" + encodeURIComponent(ev.doc_id) + "&at=" + ev.start + "-" + ev.end;
    return h("a", {class: "ev", href: href, "data-testid": "evidence", title: clip(ev.text, 300)},
      (label || ev.outlet || ev.doc_id) + " \u2197");
  }
  function evList(evidence, limit) {
    const items = (evidence || []).slice(0, limit || 12);
    return h("span", {class: "evlist"}, items.map((ev, i) => [i ? " " : "", evLink(ev)]),
      (evidence || []).length > items.length ? h("span", {class: "muted"}, " +" + (evidence.length - items.length)) : null);
  }
  function terms(t) {
    if (!t) return "";
    const parts = [];
    for (const [k, v] of Object.entries(t)) {
      if (k === "qualifiers" || k === "dates") parts.push([].concat(v).join(k === "dates" ? ", " : " "));
      else if (v && typeof v === "object") parts.push(v.text || JSON.stringify(v));
      else parts.push((Number.isInteger(v) ? v.toLocaleString("en") : v) + " " + k);
    }
    return parts.join("; ");
  }
  function who(people) { return (people || []).map((p) => p.name || p.code).join(", "); }
  function modalityChips(mods) {
    return Object.entries(mods || {}).map(([m, n]) => chip(m + (n > 1 ? " " + n : ""), "m-" + m));
  }
  function chart(el, option) {
    if (typeof echarts === "undefined") { el.appendChild(h("p", {class: "error"}, "chart library not loaded")); return null; }
    const c = echarts.init(el, null, {renderer: "canvas"});
    c.setOption(option);
    charts.push(c);
    return c;
  }

  // -- overview ------------------------------------------------------------------------------------------------
  function statusTrack(n, conflicts) {
    if (!n.mediator_status.length) return h("p", {class: "empty"}, "No statement on the mediation found.");
    const byId = Object.fromEntries(conflicts.map((c) => [c.conflict_id, c]));
    return h("div", {class: "status-track", "data-testid": "mediator-status"}, n.mediator_status.map((s) => {
      const counts = Object.entries(s.statuses || {}).map(([k, v]) => k + " " + v).join(", ");
      const disputed = (s.conflict_ids || []).map((id) => byId[id]).filter(Boolean);
      return h("div", {class: "status-step"},
        h("div", {class: "when"}, [s.date || "undated", s.when ? " (" + s.when + ")" : ""].join("")),
        h("div", null, chip(s.status, "st-" + slug(s.status)),
          s.contested ? chip("contested between sources", "contested", "sources disagree on this step") : null),
        h("div", {class: "muted"}, plural(s.n_sources || 0, "source"), counts ? " \u2014 " + counts : ""),
        disputed.map((c) => conflictCard(c, true)),
        s.clarified && s.clarified.length ? h("div", {class: "reading"}, chip("clarified", "m-hedged"), " ",
          clip(s.clarified[0].text, 220), " ", evLink(s.clarified[0])) : null,
        h("details", null, h("summary", {class: "muted"}, "what each source says (" + s.readings.length + ")"),
          s.readings.map((r) => h("div", {class: "reading"}, h("span", {class: "outlet"}, r.outlet), " ",
            chip(r.status, "st-" + slug(r.status)), " ", clip(r.text, 240), " ", evLink(r, "open")))));
    }));
  }

  function positionsBoard(n, compact) {
    const parties = n.parties.map((p) => p.code);
    const rows = n.issues.filter((row) => row.cells.some((c) => c.stance && (!compact || parties.includes(c.actor))));
    if (!rows.length) return h("p", {class: "empty"}, "No position found.");
    const columns = compact ? parties : [...new Set(rows.flatMap((r) => r.cells.filter((c) => c.stance).map((c) => c.actor)))];
    const names = Object.fromEntries(n.parties.concat(n.mediators, n.third_parties).map((p) => [p.code, p.name]));
    return h("table", {class: "board", "data-testid": compact ? "positions-board" : "positions-full"},
      h("tr", null, h("th", null, "issue"), columns.map((c) => h("th", null, names[c] || c)), h("th", null, "gap")),
      rows.map((row) => h("tr", {"data-issue": row.issue}, h("th", null, row.label),
        columns.map((code) => {
          const cell = row.cells.find((c) => c.actor === code);
          if (!cell || !cell.stance) return h("td", {class: "empty"}, "\u2014");
          return h("td", null, chip(cell.stance, "s-" + cell.stance), cell.date ? h("span", {class: "muted"}, " " + cell.date) : null,
            terms(cell.terms) ? h("div", null, terms(cell.terms)) : null,
            compact ? null : h("div", {class: "muted"}, clip(cell.content, 160)),
            compact ? null : h("div", {class: "muted"}, "history: ", cell.history.map((x) => x.stance).join(" \u2192 ")),
            h("div", null, evList(cell.evidence, 3)));
        }),
        h("td", null, gapText(row.gap)))));
  }
  function gapText(gap) {
    if (!gap) return "";
    const label = gap.compatible === true ? "agreed" : gap.compatible === false ? "apart" : "undetermined";
    const out = [h("span", {class: "gap-" + label}, label)];
    for (const t of gap.terms || []) {
      const sides = Object.entries(t).filter(([k]) => !["difference", "ratio", "unit"].includes(k));
      out.push(h("div", {class: "muted"}, sides.map(([k, v]) => k + " " + v).join(" vs ") + " " + (t.unit || "") +
        (t.difference !== undefined ? " (gap " + t.difference + ")" : "")));
    }
    if (gap.trend && gap.trend !== "unknown") out.push(h("div", {class: "muted"}, gap.trend));
    return out;
  }

  function renderOverview(v, el) {
    el.appendChild(h("h2", null, "At a glance"));
    if (!v.negotiations.length) el.appendChild(h("p", {class: "empty"}, "No negotiation found in these reports."));
    for (const n of v.negotiations) {
      const mediators = n.mediators.map((m) => m.name).join(", ") || "no mediator found";
      el.appendChild(h("div", {class: "card", "data-testid": "negotiation-summary"},
        h("h3", null, n.title),
        h("div", {class: "muted"}, "parties: " + (n.parties.map((p) => p.name).join(", ") || "none found") +
          " \u00b7 mediator: " + mediators),
        h("h3", null, "Mediator status over time"), statusTrack(n, v.conflicts),
        h("h3", null, "Where the parties stand"), positionsBoard(n, true)));
    }
    const dated = v.events.filter((e) => e.date);
    el.appendChild(h("div", {class: "card"}, h("h3", null, "Timeline (" + plural(dated.length, "dated event") + ")"),
      timelineChartBox(dated, "overview")));
    const top = v.conflicts.slice(0, 4);
    el.appendChild(h("div", {class: "card"}, h("h3", null, "Where sources disagree (" + v.conflicts.length + ")"),
      top.length ? top.map((c) => conflictCard(c)) : h("p", {class: "empty"}, "No disagreement found."),
      v.conflicts.length > top.length ? h("a", {href: "#view=sources"}, "all conflicts") : null));
  }

  // -- timeline ------------------------------------------------------------------------------------------------
  function timelineChartBox(events, where) {
    const box = h("div", {class: "chart", "data-testid": "timeline-chart-" + where});
    if (!events.length) return h("p", {class: "empty"}, "No dated event.");
    requestAnimationFrame(() => timelineChart(box, events));
    return box;
  }
  function timelineRow(e) {
    // One row per country (people count for theirs); unresolved actors share a row.
    const coded = e.actors.find((a) => a.code);
    return coded ? (VIEWS.options.code_names[coded.code] || coded.code) : "other actors";
  }
  function timelineChart(box, events) {
    const rows = [...new Set(events.map(timelineRow))].sort((a, b) => (a === "other actors") - (b === "other actors") || a.localeCompare(b));
    const modalities = [...new Set(events.map((e) => e.modality))];
    const c = chart(box, {
      animation: false,
      grid: {left: 150, right: 20, top: 40, bottom: 40},
      legend: {top: 0, data: modalities},
      tooltip: {trigger: "item", formatter: (p) => {
        const e = p.data.event;
        return "<b>" + esc(e.summary) + "</b><br>" + esc(e.date) + " \u00b7 " + esc(QUAD_NAMES[e.quad] || e.event) +
          "<br>" + esc(plural(e.n_sources, "independent source")) + " \u00b7 " + esc(e.outlets.join(", "));
      }},
      xAxis: {type: "time"},
      yAxis: {type: "category", data: rows, axisLabel: {width: 140, overflow: "truncate"}},
      series: modalities.map((m) => ({
        name: m, type: "scatter", symbol: MODALITY_SYMBOLS[m] || "circle", itemStyle: {color: "#6b7280"},
        data: events.filter((e) => e.modality === m).map((e) => ({
          value: [e.date, timelineRow(e)], event: e,
          symbolSize: 10 + 6 * Math.sqrt(e.n_sources),
          itemStyle: {color: QUAD_COLOURS[e.quad] || "#6b7280", borderColor: QUAD_COLOURS[e.quad] || "#6b7280", borderWidth: 2}})),
      })),
    });
    if (c) c.on("click", (p) => { location.hash = "view=timeline&event=" + encodeURIComponent(p.data.event.event_id); });
  }
  function eventRow(e) {
    return h("div", {class: "event", id: "event-" + e.event_id, "data-event": e.event_id},
      h("div", null, h("b", null, e.date || "undated"), e.date_precision && e.date_precision !== "day" ?
        h("div", {class: "muted"}, e.date_precision) : null),
      h("div", null,
        chip(e.event, "q" + (e.quad || 0), QUAD_NAMES[e.quad] || ""), modalityChips(e.modalities), " ",
        h("span", null, e.summary),
        e.conflict_ids.length ? chip("sources disagree", "contested") : null,
        e.single_source ? chip("single source", "m-hedged") : null,
        h("div", {class: "muted"}, who(e.actors) || "?", " \u2192 ", who(e.recipients) || "\u2014", " \u00b7 ",
          plural(e.n_sources, "independent source"), e.n_mentions !== e.n_sources ? " (" + e.n_mentions + " mentions)" : "",
          e.cameo ? " \u00b7 CAMEO " + e.cameo : ""),
        h("div", null, evList(e.evidence, 8))));
  }
  function renderTimeline(v, el) {
    const dated = v.events.filter((e) => e.date).sort((a, b) => a.date.localeCompare(b.date));
    const undated = v.events.filter((e) => !e.date);
    el.append(h("h2", null, "Timeline"),
      h("p", {class: "muted"}, "Colour: cooperation (green, blue) or conflict (orange, red). Shape: how it is reported " +
        "(circle asserted, diamond conditional, triangle hedged, hollow negated). Size: independent sources."),
      h("div", {class: "card"}, timelineChartBox(dated, "full")),
      h("h3", null, plural(dated.length, "dated event")), h("div", {"data-testid": "event-list"}, dated.map(eventRow)),
      h("h3", null, plural(undated.length, "undated event")), h("div", null, undated.map(eventRow)),
      v.meta.truncated ? h("p", {class: "muted"}, "Showing the first " + v.events.length + " of " + v.meta.n_events +
        " events (most corroborated first).") : null);
  }

  // -- negotiation ---------------------------------------------------------------------------------------------
  function renderNegotiation(v, el) {
    el.appendChild(h("h2", null, "Negotiation"));
    if (!v.negotiations.length) { el.appendChild(h("p", {class: "empty"}, "No negotiation found.")); return; }
    for (const n of v.negotiations) {
      const list = (items) => items.map((p) => p.name + " (" + p.code + ")").join(", ") || "none found";
      el.append(h("div", {class: "card", "data-testid": "negotiation"},
        h("h3", null, n.title),
        h("div", null, "parties: " + list(n.parties)), h("div", null, "mediators: " + list(n.mediators)),
        h("div", {class: "muted"}, "third parties: " + list(n.third_parties)),
        h("div", {class: "muted"}, Object.entries(n.overview).filter(([, ids]) => ids.length)
          .map(([k, ids]) => k + ": " + ids.join(", ")).join(" \u00b7 ")),
        h("h3", null, "Positions by issue"), positionsBoard(n, false),
        h("h3", null, "Mediator status"), statusTrack(n, v.conflicts),
        h("h3", null, "Conditions and ultimatums"),
        n.conditions.length ? n.conditions.map((c) => h("div", {class: "card"},
          h("b", null, (c.actor_names || c.actor || []).join(", ")), " ", h("span", null, clip(c.consequence, 220)),
          h("div", {class: "muted"}, "condition: " + (c.condition || "?") + (c.deadline ? " \u00b7 deadline " + c.deadline : "")),
          h("div", null, c.history.map((s) => h("div", {class: "reading"}, chip(s.status, "m-" + (s.status === "issued" ? "conditional" : "asserted")),
            " ", s.date || "", " ", s.evidence ? [clip(s.evidence.text, 200), " ", evLink(s.evidence)] : null)))))
          : h("p", {class: "empty"}, "None found."),
        h("h3", null, "Agreements"),
        n.agreements.length ? n.agreements.map((a) => h("div", {class: "card"},
          h("b", null, a.name), " ", chip(a.status, "q1"), h("span", {class: "muted"}, " " + (a.label || a.issue) +
            " \u00b7 signatories: " + (a.signatories || []).join(", ")),
          a.steps.map((s) => h("div", {class: "reading"}, chip(s.status, "m-asserted"), " ", s.when || s.date || "", " ",
            clip(s.evidence.text, 200), " ", evLink(s.evidence))),
          a.next.length ? h("div", {class: "muted"}, "next: " + a.next.map((s) => s.status + (s.when ? " " + s.when : "")).join(", ")) : null))
          : h("p", {class: "empty"}, "None found.")));
    }
  }

  // -- sources and conflicts -----------------------------------------------------------------------------------
  function conflictCard(c, compact) {
    return h("div", {class: "card conflict", "data-testid": "conflict", "data-kind": c.kind},
      h("b", null, c.subject), " ", chip(c.kind, "q3"),
      compact ? null : h("div", {class: "muted"}, c.description),
      h("div", {class: "sides"}, c.sides.map((s) => h("div", {class: "side"},
        h("h4", null, s.value),
        s.claims.slice(0, compact ? 2 : undefined).map((cl) => h("div", {class: "reading"},
          h("span", {class: "outlet"}, cl.outlet), ": ", clip(cl.text, compact ? 160 : 400), " ", evLink(cl, "open"))),
        compact && s.claims.length > 2 ? h("div", {class: "muted"}, "+" + (s.claims.length - 2) + " more") : null))));
  }
  function renderSources(v, el) {
    const s = v.sources;
    const bars = h("div", {class: "chart small", "data-testid": "outlets-chart"});
    el.append(h("h2", null, "Sources"), h("div", {class: "card"}, bars));
    requestAnimationFrame(() => chart(bars, {
      animation: false, tooltip: {trigger: "axis", formatter: (ps) => esc(ps[0].name) + "<br>" +
        ps.map((p) => esc(p.seriesName) + ": " + esc(p.value)).join("<br>")},
      legend: {top: 0}, grid: {left: 200, right: 20, top: 30, bottom: 30},
      xAxis: {type: "value"}, yAxis: {type: "category", data: s.outlets.map((o) => o.outlet), axisLabel: {width: 190, overflow: "truncate"}},
      series: [
        {name: "corroborated events", type: "bar", stack: "e", data: s.outlets.map((o) => o.events - o.single_source), itemStyle: {color: "#2563eb"}},
        {name: "single-source events", type: "bar", stack: "e", data: s.outlets.map((o) => o.single_source), itemStyle: {color: "#f59e0b"}}],
    }));
    el.append(h("table", {"data-testid": "outlets-table"},
      h("tr", null, ["outlet", "documents", "events", "single-source", "wire copies"].map((t) => h("th", null, t))),
      s.outlets.map((o) => h("tr", null, h("td", null, o.outlet),
        h("td", null, o.documents.map((d, i) => [i ? h("br") : null, d.title || d.doc_id, " ",
          h("span", {class: "muted"}, (d.published || "undated") + (d.date_source === "inferred" ? " (inferred)" : "")),
          " ", evLink({doc_id: d.doc_id, start: 0, end: 0, outlet: "read"})]),
          o.n_documents > o.documents.length ? h("div", {class: "muted"}, "+" + (o.n_documents - o.documents.length) + " more") : null),
        h("td", null, o.events), h("td", null, o.single_source), h("td", null, o.copies)))));
    el.append(h("h3", null, "Wire copies and reprints"), s.copies.length ? h("table", {"data-testid": "copies"},
      h("tr", null, h("th", null, "copy"), h("th", null, "copies"), h("th", null, "similarity")),
      s.copies.map((c) => h("tr", null, h("td", null, c.outlet + " \u2014 " + (c.title || c.doc_id)),
        h("td", null, c.original_outlet), h("td", null, c.similarity === null ? "" : c.similarity.toFixed(2)))))
      : h("p", {class: "empty"}, "No wire copy found: every document counts as an independent source."));
    if (s.matrix.length) {
      const heat = h("div", {class: "chart", "data-testid": "coverage-chart"});
      el.append(h("h3", null, "Which outlets reported what (events with more than one source)"), h("div", {class: "card"}, heat));
      const outlets = [...new Set(s.matrix.flatMap((m) => Object.keys(m.outlets)))].sort();
      const rows = s.matrix.slice(0, 40);
      heat.style.height = Math.max(260, 60 + rows.length * 22) + "px";
      requestAnimationFrame(() => chart(heat, {
        animation: false, grid: {left: 330, right: 20, top: 10, bottom: 60},
        tooltip: {formatter: (p) => esc(rows[p.value[1]].summary) + "<br>" + esc(outlets[p.value[0]]) + ": " + esc(p.value[2]) + " mention(s)"},
        xAxis: {type: "category", data: outlets, axisLabel: {rotate: 20}}, yAxis: {type: "category", data: rows.map((m) => clip(m.summary, 60)), inverse: true},
        visualMap: {show: false, min: 0, max: 4, inRange: {color: ["#eff6ff", "#1e40af"]}},
        series: [{type: "heatmap", data: rows.flatMap((m, y) => outlets.map((o, x) => [x, y, m.outlets[o] || 0]))}],
      }));
    }
    el.append(h("h2", null, "Where sources disagree (" + v.conflicts.length + ")"),
      v.conflicts.length ? v.conflicts.map((c) => conflictCard(c)) : h("p", {class: "empty"}, "No disagreement found."));
    const single = v.events.filter((e) => e.single_source && e.date);
    el.append(h("h3", null, "Dated claims carried by a single source (" + single.length + ")"),
      h("div", null, single.map(eventRow)));
  }

  // -- quotes and network --------------------------------------------------------------------------------------
  function renderQuotes(v, el) {
    el.append(h("h2", null, "Who said what"));
    if (!v.quotes.length) el.append(h("p", {class: "empty"}, "No attributed quote."));
    for (const g of v.quotes) {
      el.append(h("div", {class: "card", "data-testid": "speaker"},
        h("b", null, g.speaker), h("span", {class: "muted"}, " " + [g.code, g.role].filter(Boolean).join(", ") +
          " \u00b7 " + plural(g.quotes.length, "quote")),
        g.quotes.map((q) => h("blockquote", null, "\u201c" + q.text + "\u201d ",
          h("span", {class: "muted"}, "\u2014 " + q.outlets.join(", ") + " (" + plural(q.n_sources, "independent source") + ")"),
          q.conflict_id ? chip("speaker disputed: " + q.speakers.join(" / "), "contested") : null,
          " ", evList(q.evidence, 6)))));
    }
  }
  function renderNetwork(v, el) {
    const net = v.network;
    const box = h("div", {class: "chart tall", "data-testid": "network-chart"});
    el.append(h("h2", null, "Actor network"),
      h("p", {class: "muted"}, "Who acted toward whom. Green links: mostly cooperation; red: mostly conflict; width: number of events."),
      h("div", {class: "card"}, net.links.length ? box : h("p", {class: "empty"}, "No event with both an actor and a recipient.")));
    if (net.links.length) {
      const linked = new Set(net.links.flatMap((l) => [l.source, l.target]));
      requestAnimationFrame(() => chart(box, {
        animation: false,
        tooltip: {formatter: (p) => p.dataType === "edge"
          ? esc(p.data.source) + " \u2192 " + esc(p.data.target) + ": " + esc(p.data.cooperation) + " cooperation, " + esc(p.data.conflict) + " conflict"
          : esc(p.data.name) + " (" + esc(p.data.events) + " events)"},
        series: [{type: "graph", layout: "force", roam: true, draggable: true, force: {repulsion: 320, edgeLength: 140},
          edgeSymbol: ["none", "arrow"], label: {show: true, position: "right"},
          data: net.nodes.filter((n) => linked.has(n.id)).map((n) => ({id: n.id, name: n.name, events: n.events,
            symbolSize: 12 + 4 * Math.sqrt(n.events)})),
          links: net.links.map((l) => ({source: l.source, target: l.target, cooperation: l.cooperation, conflict: l.conflict,
            lineStyle: {width: 1 + Math.sqrt(l.cooperation + l.conflict) * 1.5, curveness: 0.15,
              color: l.cooperation >= l.conflict ? "#16a34a" : "#dc2626"}}))}],
      }));
    }
    const events = Object.fromEntries(v.events.map((e) => [e.event_id, e]));
    const names = Object.fromEntries(net.nodes.map((n) => [n.id, n.name]));
    el.append(h("table", {"data-testid": "network-table"},
      h("tr", null, ["actor", "toward", "cooperation", "conflict", "events"].map((t) => h("th", null, t))),
      net.links.map((l) => h("tr", null, h("td", null, names[l.source] || l.source), h("td", null, names[l.target] || l.target),
        h("td", null, l.cooperation), h("td", null, l.conflict),
        h("td", null, l.event_ids.slice(0, 4).map((id) => events[id] && h("div", null, clip(events[id].summary, 90), " ",
          evLink(events[id].evidence[0])))))))); 
  }

  // -- the evidence reader -------------------------------------------------------------------------------------
  async function loadDocument(docId) {
    if (DOCUMENTS[docId]) return DOCUMENTS[docId];
    if (!LIVE) return null;
    const r = await fetch("api/documents/" + encodeURIComponent(docId));
    if (!r.ok) return null;
    return (DOCUMENTS[docId] = await r.json());
  }
  async function openReader(docId, start, end) {
    const reader = document.getElementById("reader");
    reader.replaceChildren(h("button", {class: "close", title: "close", onclick: () => closeReader()}, "\u00d7"));
    reader.classList.add("open");
    const doc = await loadDocument(docId);
    if (!doc) { reader.appendChild(h("p", {class: "error"}, "Document " + docId + " is not in this report.")); return; }
    reader.append(h("h3", null, doc.title || doc.outlet || doc.doc_id),
      h("div", {class: "muted"}, [doc.outlet, doc.published || "undated", doc.url].filter(Boolean).join(" \u00b7 ")));
    let current = null;
    const body = h("div", {class: "doc-text"});
    for (const [s, e, text] of doc.sentences) {
      const inside = end > start && start >= s && start < e;
      const span = h("span", {class: "sentence" + (inside ? " current" : ""), "data-start": s});
      if (inside) {
        const a = start - s, b = Math.min(end, e) - s;
        span.append(text.slice(0, a), h("mark", null, text.slice(a, b)), text.slice(b));
        current = span;
      } else span.append(text);
      body.append(span, " ");
    }
    reader.append(body);
    if (current) current.scrollIntoView({block: "center"});
  }
  function closeReader() {
    document.getElementById("reader").classList.remove("open");
    const p = new URLSearchParams(location.hash.slice(1));
    p.delete("doc"); p.delete("at");
    history.replaceState(null, "", "#" + p.toString());
  }

  // -- routing and rendering -----------------------------------------------------------------------------------
  function route() {
    const p = new URLSearchParams(location.hash.slice(1));
    const view = p.get("view") || (p.get("doc") ? currentView() : "overview");
    for (const a of document.querySelectorAll("#tabs a")) a.classList.toggle("active", a.dataset.view === view);
    for (const s of document.querySelectorAll("section.view")) s.classList.toggle("active", s.id === "view-" + view);
    charts.forEach((c) => c.resize());
    if (p.get("event")) {
      document.querySelectorAll(".event.selected").forEach((x) => x.classList.remove("selected"));
      const row = document.getElementById("event-" + p.get("event"));
      if (row) { row.classList.add("selected"); row.scrollIntoView({block: "center"}); }
    }
    if (p.get("doc")) {
      const [a, b] = (p.get("at") || "0-0").split("-").map(Number);
      openReader(p.get("doc"), a, b);
    } else document.getElementById("reader").classList.remove("open");
  }
  function currentView() {
    const active = document.querySelector("section.view.active");
    return active ? active.id.replace("view-", "") : "overview";
  }

  function render(v) {
    VIEWS = v;
    charts.splice(0).forEach((c) => c.dispose());
    const c = v.meta.counts;
    document.getElementById("subtitle").textContent = v.meta.database + " \u00b7 generated " + v.meta.generated;
    document.getElementById("stats").replaceChildren(...[["documents", "documents"], ["events", "events"],
      ["event_mentions", "event mentions"], ["quotes", "quotes"], ["conflicts", "disagreements"],
      ["positions", "positions"], ["actors", "actors"]].map(([k, label]) => h("div", {class: "stat"}, h("b", null, c[k] || 0), label)));
    const renderers = {overview: renderOverview, timeline: renderTimeline, negotiation: renderNegotiation,
      sources: renderSources, quotes: renderQuotes, network: renderNetwork};
    for (const [name, fn] of Object.entries(renderers)) {
      const el = document.getElementById("view-" + name);
      el.replaceChildren();
      try { fn(v, el); } catch (err) { el.append(h("p", {class: "error"}, "This view failed: " + err.message)); throw err; }
    }
    route();
  }

  // -- the web app's filters -----------------------------------------------------------------------------------
  function fillOptions(form, options, chosen) {
    const fill = (name, items) => {
      const select = form.elements[name];
      select.replaceChildren(h("option", {value: ""}, "any"),
        ...items.map(([value, label]) => h("option", {value: value, selected: chosen[name] === value}, label)));
    };
    fill("actor", options.actors.map((a) => [a.code, a.name + " (" + a.code + ")"]));
    fill("issue", options.issues.map((i) => [i.issue, i.label]));
    fill("event_type", options.event_types.map((t) => [t, t]));
    fill("outlet", options.outlets.map((o) => [o, o]));
    for (const name of ["q", "date_from", "date_to"]) form.elements[name].value = chosen[name] || "";
  }
  let shownSearch = location.search;
  async function fetchViews(params) {
    shownSearch = location.search;
    const status = document.getElementById("filter-status");
    status.textContent = "loading\u2026";
    const r = await fetch("api/report?" + params.toString());
    const body = await r.json();
    if (!r.ok) { status.textContent = ""; showMessage(body.error || "request failed"); return; }
    showMessage("");
    status.textContent = plural(body.meta.n_events, "event") + " match";
    fillOptions(document.getElementById("filters"), body.options, body.filters);
    render(body);
  }
  function showMessage(text) {
    document.getElementById("message").replaceChildren(text ? h("p", {class: "error", role: "alert"}, text) : "");
  }
  function startLive() {
    const form = document.getElementById("filters");
    form.hidden = false;
    const params = new URLSearchParams(location.search);
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const p = new URLSearchParams();
      for (const [k, val] of new FormData(form)) if (String(val).trim()) p.set(k, String(val).trim());
      history.pushState(null, "", "?" + p.toString() + location.hash);
      fetchViews(p);
    });
    // The chosen options are the form's defaults (fillOptions marks them selected), so Clear empties by hand.
    form.addEventListener("reset", (ev) => {
      ev.preventDefault();
      for (const el of form.elements) if (el.name) el.value = "";
      form.requestSubmit();
    });
    // Following an in-page link fires popstate too: refetch only when the filters in the address changed.
    window.addEventListener("popstate", () => {
      if (location.search !== shownSearch) fetchViews(new URLSearchParams(location.search));
    });
    fetchViews(params);
  }

  window.addEventListener("hashchange", route);
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
  if (LIVE) startLive();
  else {
    const data = JSON.parse(document.getElementById("parley-data").textContent);
    DOCUMENTS = data.documents || {};
    render(data.views);
  }
  window.parley = {views: () => VIEWS};
})();
