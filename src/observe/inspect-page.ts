/**
 * The live view's page: one self-contained HTML document (inline CSS and script, no build step,
 * nothing loaded from elsewhere). It draws the network's graph as SVG — processes in columns by
 * their distance from the sources, channels as arrows — and listens to /events: every snapshot
 * refreshes the states, depths, counts and rates (from the difference of two snapshots); `end`
 * shows how the run ended. The tables carry data-* attributes so tests can read them.
 */
export const INSPECT_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>cspflow — live view</title>
<style>
  :root { font: 14px/1.4 system-ui, sans-serif; color: #212529; background: #f8f9fa; }
  body { margin: 0 1.5rem 2rem; }
  h1 { font-size: 1.2rem; margin: 1rem 0 .25rem; }
  h2 { font-size: 1rem; margin: 1.25rem 0 .4rem; }
  #status { color: #495057; }
  #status b { color: #212529; }
  #graph { background: #fff; border: 1px solid #dee2e6; border-radius: 6px; overflow: auto; }
  table { border-collapse: collapse; background: #fff; border: 1px solid #dee2e6; }
  th, td { padding: .25rem .6rem; border-bottom: 1px solid #e9ecef; text-align: left; white-space: nowrap; }
  td.n { text-align: right; font-variant-numeric: tabular-nums; }
  .bar { display: inline-block; height: .6rem; background: #74c0fc; vertical-align: middle; }
  .bar-box { display: inline-block; width: 6rem; height: .6rem; background: #e9ecef; margin-right: .4rem; }
  .running { background: #d7f5dd; } .blocked { background: #fff3c4; } .deadlocked, .failed { background: #ffc9c9; }
  .poisoned { background: #ffd8a8; } .done, .retired, .ended { background: #e9ecef; }
  #report { white-space: pre-wrap; background: #fff; border: 1px solid #dee2e6; border-radius: 6px; padding: .6rem; }
  #report.bad { border-color: #fa5252; }
  svg text { font: 12px system-ui, sans-serif; }
</style>
</head>
<body>
<h1>cspflow — live view</h1>
<div id="status">connecting…</div>
<h2>Network</h2>
<div id="graph"></div>
<h2>Channels</h2>
<table id="channels"><thead><tr><th>channel</th><th>kind</th><th>depth</th><th>written</th><th>rate /s</th><th>read</th><th>dropped</th><th>waiting r/w</th><th>state</th><th>home</th></tr></thead><tbody></tbody></table>
<h2>Processes</h2>
<table id="processes"><thead><tr><th>#</th><th>process</th><th>state</th><th>placement</th><th>items</th><th>waits on</th></tr></thead><tbody></tbody></table>
<h2>Workers</h2>
<table id="workers"><thead><tr><th>worker</th><th>busy</th><th>processes</th></tr></thead><tbody></tbody></table>
<h2>Last error or deadlock</h2>
<div id="report">none</div>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
const fmt = (n) => (n === null || n === undefined ? "—" : Number(n).toLocaleString("en-US"));
let graph = null;
let previous = null;
let started = null;

function layout(g) {
  const nodes = g.processes.map((p) => ({ id: p.id, label: p.replicas > 1 ? p.name + " ×" + p.replicas : p.name, sub: p.placement, name: p.name }));
  const edges = [];
  let inside = false, outsideOut = false;
  for (const c of g.channels) {
    for (const w of c.writers) for (const r of c.readers) {
      const from = w === "outside" ? "outside-in" : w, to = r === "outside" ? "outside-out" : r;
      if (from === "outside-in") inside = true;
      if (to === "outside-out") outsideOut = true;
      edges.push({ from, to, channel: c });
    }
  }
  if (inside) nodes.unshift({ id: "outside-in", label: "outside", sub: "", name: null });
  if (outsideOut) nodes.push({ id: "outside-out", label: "outside", sub: "", name: null });
  const layer = Object.fromEntries(nodes.map((n) => [n.id, 0]));
  for (let i = 0; i < nodes.length; i++) {
    for (const e of edges) if (e.from !== e.to && layer[e.to] < layer[e.from] + 1 && layer[e.from] + 1 < nodes.length) layer[e.to] = layer[e.from] + 1;
  }
  if (outsideOut) layer["outside-out"] = Math.max(0, ...nodes.filter((n) => n.id !== "outside-out").map((n) => layer[n.id])) + 1;
  const columns = {};
  for (const n of nodes) (columns[layer[n.id]] ||= []).push(n);
  const W = 170, H = 58, GX = 150, GY = 50;
  for (const [l, col] of Object.entries(columns)) col.forEach((n, i) => { n.x = 20 + Number(l) * (W + GX); n.y = 20 + i * (H + GY); n.w = W; n.h = H; });
  const width = Math.max(...nodes.map((n) => n.x + W)) + 20, height = Math.max(...nodes.map((n) => n.y + H)) + 40;
  return { nodes, edges, width, height };
}

function drawGraph() {
  const L = layout(graph);
  const at = Object.fromEntries(L.nodes.map((n) => [n.id, n]));
  const parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="' + L.width + '" height="' + L.height + '">',
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#868e96"/></marker></defs>'];
  L.edges.forEach((e, i) => {
    const a = at[e.from], b = at[e.to];
    const x1 = a.x + a.w, y1 = a.y + a.h / 2, x2 = b.x, y2 = b.y + b.h / 2;
    const back = x2 <= x1;
    const d = back ? "M" + x1 + "," + y1 + " C" + (x1 + 60) + "," + (y1 + 90) + " " + (x2 - 60) + "," + (y2 + 90) + " " + x2 + "," + y2
                   : "M" + x1 + "," + y1 + " C" + (x1 + 50) + "," + y1 + " " + (x2 - 50) + "," + y2 + " " + x2 + "," + y2;
    const mx = (x1 + x2) / 2, my = (y1 + y2) / 2 + (back ? 70 : 0);
    parts.push('<path d="' + d + '" fill="none" stroke="#868e96" stroke-width="1.5" marker-end="url(#arrow)"/>');
    parts.push('<text x="' + mx + '" y="' + (my - 8) + '" text-anchor="middle" font-weight="600" data-edge-channel="' + esc(e.channel.name) + '">' + esc(e.channel.name) + '</text>');
    parts.push('<text x="' + mx + '" y="' + (my + 8) + '" text-anchor="middle" fill="#495057" data-edge-live="' + esc(e.channel.name) + '">' + esc(kind(e.channel)) + '</text>');
    parts.push('<text x="' + mx + '" y="' + (my + 22) + '" text-anchor="middle" fill="#868e96" data-edge-wait="' + esc(e.channel.name) + '"></text>');
  });
  for (const n of L.nodes) {
    parts.push('<g data-node="' + esc(n.id) + '"' + (n.name === null ? "" : ' data-node-name="' + esc(n.name) + '"') + '>');
    parts.push('<rect x="' + n.x + '" y="' + n.y + '" width="' + n.w + '" height="' + n.h + '" rx="8" fill="#fff" stroke="#adb5bd" class="node-box"/>');
    parts.push('<text x="' + (n.x + n.w / 2) + '" y="' + (n.y + 20) + '" text-anchor="middle" font-weight="600">' + esc(n.label) + '</text>');
    parts.push('<text x="' + (n.x + n.w / 2) + '" y="' + (n.y + 38) + '" text-anchor="middle" fill="#495057" class="node-live">' + esc(n.sub) + '</text>');
    parts.push('</g>');
  }
  parts.push('</svg>');
  $("graph").innerHTML = parts.join("");
}

function kind(c) { return c.kind === "rendezvous" ? "rendezvous" : c.kind + "(" + c.capacity + ")"; }
const FILL = { running: "#d7f5dd", blocked: "#fff3c4", deadlocked: "#ffc9c9", failed: "#ffc9c9", poisoned: "#ffd8a8", done: "#e9ecef", retired: "#e9ecef", ended: "#e9ecef" };
const ORDER = ["failed", "deadlocked", "blocked", "running", "poisoned", "retired", "done", "ended"];

function update(at, s) {
  started ??= at;
  const secs = previous === null ? 0 : (at - previous.at) / 1000;
  const before = previous === null ? {} : Object.fromEntries(previous.snapshot.channels.map((c) => [c.name, c.written]));
  $("status").innerHTML = "runtime <b>" + esc(s.runtime) + "</b> · run <b id=\\"run-state\\">" + esc(s.state) + "</b> · " + s.processes.length + " processes · " + s.channels.length + " channels";
  $("channels").tBodies[0].innerHTML = s.channels.map((c) => {
    const rate = secs > 0 && c.written !== null && before[c.name] !== undefined && before[c.name] !== null ? (c.written - before[c.name]) / secs : null;
    const fill = c.capacity > 0 && c.depth !== null ? Math.round((100 * c.depth) / c.capacity) : 0;
    return '<tr data-channel="' + esc(c.name) + '" data-written="' + (c.written ?? "") + '" data-depth="' + (c.depth ?? "") + '">' +
      "<td>" + esc(c.name) + "</td><td>" + esc(kind(c)) + "</td>" +
      '<td class="n"><span class="bar-box"><span class="bar" style="width:' + fill + '%"></span></span>' + fmt(c.depth) + "</td>" +
      '<td class="n written">' + fmt(c.written) + '</td><td class="n">' + (rate === null ? "—" : fmt(Math.round(rate))) + '</td><td class="n">' + fmt(c.read) + '</td><td class="n">' + fmt(c.dropped) + "</td>" +
      '<td class="n">' + fmt(c.blockedReaders) + " / " + fmt(c.blockedWriters) + "</td><td>" + esc(c.state) + "</td><td>" + esc(c.home) + "</td></tr>";
  }).join("");
  $("processes").tBodies[0].innerHTML = s.processes.map((p) =>
    '<tr data-process="' + esc(p.name) + '" data-state="' + esc(p.state) + '"><td class="n">' + p.id + "</td><td>" + esc(p.name) + '</td><td class="' + esc(p.state) + '">' + esc(p.state) + "</td><td>" + esc(p.placement) +
    '</td><td class="n">' + fmt(p.items) + "</td><td>" + (p.on ? esc(p.on.operation + " " + p.on.channels.join(", ")) : "") + "</td></tr>").join("");
  $("workers").tBodies[0].innerHTML = s.workers.map((w) =>
    '<tr data-worker="' + esc(w.id) + '"><td>' + esc(w.id) + '</td><td class="n">' + (w.utilisation === null ? "—" : Math.round(w.utilisation * 100) + "%") + '</td><td class="n">' + w.processes + "</td></tr>").join("");
  const stages = Object.fromEntries(s.stages.map((st) => [st.name, st]));
  for (const g of document.querySelectorAll("[data-node-name]")) {
    const st = stages[g.getAttribute("data-node-name")];
    if (!st) continue;
    const state = ORDER.find((x) => (st.states[x] || 0) > 0);
    g.querySelector(".node-box").setAttribute("fill", FILL[state] || "#fff");
    g.querySelector(".node-live").textContent = Object.entries(st.states).map(([k, n]) => (st.processes > 1 ? n + " " : "") + k).join(", ") + (st.items === null ? "" : " · " + fmt(st.items));
  }
  const live = Object.fromEntries(s.channels.map((c) => [c.name, c]));
  for (const t of document.querySelectorAll("[data-edge-live]")) {
    const c = live[t.getAttribute("data-edge-live")];
    if (c) t.textContent = kind(c) + (c.depth === null || c.kind === "rendezvous" ? "" : " · " + c.depth + "/" + c.capacity);
  }
  for (const t of document.querySelectorAll("[data-edge-wait]")) {
    const c = live[t.getAttribute("data-edge-wait")];
    if (c) t.textContent = [c.blockedWriters ? c.blockedWriters + " waiting to write" : "", c.blockedReaders ? c.blockedReaders + " waiting to read" : ""].filter(Boolean).join(", ");
  }
  if (s.deadlock) {
    const lines = ["deadlock:"].concat(s.deadlock.blocked.map((b) => "  process \\"" + b.process + "\\"" + (b.id ? " #" + b.id : "") + " blocked on " + b.operation + " of " + b.channels.join(", ")));
    if (s.deadlock.cycle.length) lines.push("wait-for cycle:", ...s.deadlock.cycle.map((w) => "  " + w.process + " #" + w.id + " waits to " + w.operation + " \\"" + w.channel + "\\", which only " + w.waitsFor.process + " #" + w.waitsFor.id + " can complete"));
    report(lines.join("\\n"), true);
  } else if (s.error) report(s.error.name + (s.error.code ? " (" + s.error.code + ")" : "") + ": " + s.error.message + (s.error.process ? "\\n  in process \\"" + s.error.process + "\\"" : ""), true);
  previous = { at, snapshot: s };
}

function report(text, bad) { const r = $("report"); r.textContent = text; r.className = bad ? "bad" : ""; }

const source = new EventSource("events");
source.addEventListener("graph", (e) => { graph = JSON.parse(e.data); drawGraph(); });
source.addEventListener("snapshot", (e) => { const m = JSON.parse(e.data); update(m.at, m.snapshot); });
source.addEventListener("end", (e) => {
  const m = JSON.parse(e.data);
  source.close();
  document.body.setAttribute("data-ended", m.ok ? "ok" : "failed");
  $("status").insertAdjacentHTML("beforeend", " · <b>" + (m.ok ? "the run has ended" : "the run failed") + "</b>");
  if (!m.ok && $("report").textContent === "none") report(m.error.name + ": " + m.error.message, true);
});
source.onerror = () => { if (!document.body.hasAttribute("data-ended")) $("status").textContent = "disconnected (retrying)…"; };
</script>
</body>
</html>
`;
