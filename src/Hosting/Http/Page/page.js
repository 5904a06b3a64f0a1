// The job page: polls the worker's JSON routes (/job, /job/checkpoints, /job/throughput) and draws them.
// No libraries: everything is built with the DOM (textContent, never HTML strings) and two small SVG plots.
"use strict";

const PollMs = 2000;
const PlotMinutes = 10;
const HistoryRows = 25;
const nf = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const nf1 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

const $ = (id) => document.getElementById(id);
const text = (id, value) => { $(id).textContent = value; };

function ms(value) {
  if (value === null || value === undefined) return "–";
  if (value >= 10000) return nf1.format(value / 1000) + " s";
  return nf1.format(value) + " ms";
}

function bytes(value) {
  if (value === null || value === undefined) return "–";
  const units = ["B", "KiB", "MiB", "GiB"];
  let i = 0;
  while (value >= 1024 && i < units.length - 1) { value /= 1024; i++; }
  return nf1.format(value) + " " + units[i];
}

function duration(seconds) {
  seconds = Math.floor(seconds);
  const d = Math.floor(seconds / 86400), h = Math.floor(seconds % 86400 / 3600), m = Math.floor(seconds % 3600 / 60), s = seconds % 60;
  if (d > 0) return `${d}d ${h}h ${m}m`;
  if (h > 0) return `${h}h ${m}m ${s}s`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

function time(iso) {
  const t = new Date(iso);
  return t.toLocaleTimeString([], { hour12: false }) + "." + String(t.getMilliseconds()).padStart(3, "0");
}

function cell(row, value, className) {
  const td = document.createElement("td");
  if (value instanceof Node) td.appendChild(value); else td.textContent = value;
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

function fill(tableId, rows, columns, render) {
  const body = document.querySelector(`#${tableId} tbody`);
  body.replaceChildren();
  if (rows.length === 0) {
    const tr = document.createElement("tr");
    const td = cell(tr, "none yet", "empty");
    td.colSpan = columns;
    body.appendChild(tr);
    return;
  }
  for (const row of rows) {
    const tr = document.createElement("tr");
    render(tr, row);
    body.appendChild(tr);
  }
}

function meter(msPerSecond) {
  const wrap = document.createElement("span");
  const share = Math.min(1, msPerSecond / 1000);
  const bar = document.createElement("span");
  bar.className = "meter" + (share > 0.5 ? " high" : share > 0.1 ? " mid" : "");
  const inner = document.createElement("span");
  inner.style.width = (share * 100).toFixed(1) + "%";
  bar.appendChild(inner);
  wrap.appendChild(bar);
  wrap.appendChild(document.createTextNode(nf.format(msPerSecond) + " ms/s"));
  return wrap;
}

function renderJob(job) {
  text("job-name", job.job);
  const state = $("job-state");
  state.textContent = job.state;
  state.className = "badge " + job.state;
  document.title = `Etl ${job.job} (${job.state})`;
  text("attempt", job.attempt);
  text("uptime", job.startedAt ? duration(job.uptimeSeconds) : "–");
  text("parallelism", job.parallelism || "–");
  text("restored", job.restoredFrom ? `${job.restoredFrom.kind} ${job.restoredFrom.id}` : "nothing (fresh start)");
  text("last-completed", job.lastCompletedCheckpoint > 0 ? job.lastCompletedCheckpoint : "–");
  text("pid", job.processId);
  // Records read: what the first operator (the source) emitted.
  const recordsIn = job.operators.length ? job.operators[0].recordsOut : 0;
  $("records-in").textContent = nf.format(recordsIn);
  $("records-in").dataset.value = recordsIn;

  $("failure").hidden = !job.latestFailure;
  if (job.latestFailure) {
    text("failure-reason", job.latestFailure.reason);
    text("failure-when", `attempt ${job.latestFailure.attempt}, seen ${time(job.latestFailure.seenAt)}`);
    text("failure-message", job.latestFailure.message);
  }

  fill("operators", job.operators, 7, (tr, o) => {
    tr.dataset.operator = o.id;
    cell(tr, o.id);
    cell(tr, o.parallelism, "num");
    cell(tr, nf.format(o.recordsIn), "num").dataset.field = "recordsIn";
    cell(tr, nf.format(o.recordsOut), "num").dataset.field = "recordsOut";
    cell(tr, nf.format(o.recordsInPerSecond), "num");
    cell(tr, nf.format(o.recordsOutPerSecond), "num");
    const bp = cell(tr, meter(o.backPressuredMsPerSecond));
    bp.title = o.subtasks.map(s => `subtask ${s.index}: ${nf.format(s.backPressuredMsPerSecond)} ms/s now, ${ms(s.backPressuredMs)} in total`).join("\n");
  });
  fill("lag", job.kafkaLag, 4, (tr, l) => {
    cell(tr, l.topic, "wrap");
    cell(tr, l.partition, "num");
    cell(tr, l.checkpointLag === null ? "–" : nf.format(l.checkpointLag), "num");
    cell(tr, l.readLag === null ? "–" : nf.format(l.readLag), "num");
  });
  fill("dead-letters", job.deadLetters, 2, (tr, d) => {
    cell(tr, d.reason);
    cell(tr, nf.format(d.count), "num");
  });
  text("updated", "updated " + time(job.sampledAt));
}

function renderCheckpoints(view) {
  text("checkpoint-counts", `${view.completed} completed, ${view.failed} failed` + (view.inProgress ? `, ${view.inProgress} in progress` : ""));
  const shown = view.checkpoints.slice(0, HistoryRows);
  text("history-note", view.checkpoints.length > shown.length ? `(newest ${shown.length} of ${view.checkpoints.length} kept; all in /job/checkpoints)` : "");
  fill("checkpoints", shown, 10, (tr, c) => {
    tr.dataset.id = c.id;
    tr.dataset.kind = c.kind;
    tr.dataset.status = c.status;
    cell(tr, c.id, "num");
    cell(tr, c.kind, "kind-" + c.kind);
    const status = cell(tr, c.status, "status-" + c.status);
    if (c.failure) status.title = c.failure;
    cell(tr, time(c.triggeredAt));
    cell(tr, ms(c.durationMs), "num");
    cell(tr, bytes(c.sizeBytes), "num");
    cell(tr, `${c.acknowledged}/${c.subtasks}`, "num");
    cell(tr, c.slowestAck ? `${c.slowestAck.subtask} (${ms(c.slowestAck.afterMs)})` : "–");
    cell(tr, ms(c.sinkPrepareMs), "num");
    cell(tr, ms(c.sinkCommitMs), "num");
    if (c.location) tr.title = c.location;
  });
  const done = view.checkpoints.filter(c => c.durationMs !== null);
  text("duration-now", done.length ? `latest ${ms(done[0].durationMs)}` : "");
  plotBars($("duration-plot"), done.map(c => ({ t: Date.parse(c.triggeredAt), v: c.durationMs, cls: c.status === "failed" ? "failed" : c.kind })));
}

function renderThroughput(view, sourceId) {
  const points = view.points.map(p => ({ t: Date.parse(p.at), v: p.recordsOutPerSecond[sourceId] || 0 }));
  text("throughput-label", sourceId ? `${sourceId} records out/s` : "records/s");
  text("throughput-now", points.length ? `now ${nf.format(points[points.length - 1].v)}/s` : "");
  plotLine($("throughput-plot"), points);
}

const W = 600, H = 160, Left = 48, Bottom = 18, Top = 8;

function svgEl(name, attrs, content) {
  const el = document.createElementNS("http://www.w3.org/2000/svg", name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (content !== undefined) el.textContent = content;
  return el;
}

// The time axis spans the data (at least a minute, at most PlotMinutes), so a young job is not a sliver at the right.
function span(times) {
  const now = Date.now();
  const oldest = times.length ? Math.min(...times) : now;
  return Math.max(60000, Math.min(PlotMinutes * 60000, now - oldest));
}

function ago(ms) {
  return ms >= 60000 ? `-${nf1.format(ms / 60000)}m` : `-${Math.round(ms / 1000)}s`;
}

function frame(svg, max, width) {
  svg.replaceChildren();
  const now = Date.now(), from = now - width;
  const x = t => Left + (t - from) / (now - from) * (W - Left - 4);
  const y = v => Top + (1 - v / max) * (H - Top - Bottom);
  svg.appendChild(svgEl("line", { class: "axis", x1: Left, y1: H - Bottom, x2: W, y2: H - Bottom }));
  svg.appendChild(svgEl("line", { class: "axis", x1: Left, y1: Top, x2: Left, y2: H - Bottom }));
  svg.appendChild(svgEl("text", { class: "label", x: Left - 4, y: Top + 10, "text-anchor": "end" }, nf.format(max)));
  svg.appendChild(svgEl("text", { class: "label", x: Left - 4, y: H - Bottom, "text-anchor": "end" }, "0"));
  for (let i = 4; i >= 0; i--) {
    const back = width * i / 4;
    svg.appendChild(svgEl("text", { class: "label", x: x(now - back), y: H - 4, "text-anchor": i === 0 ? "end" : i === 4 ? "start" : "middle" }, i === 0 ? "now" : ago(back)));
  }
  return { x, y, from };
}

function niceMax(values) {
  const max = Math.max(1, ...values);
  const step = Math.pow(10, Math.floor(Math.log10(max)));
  return Math.ceil(max / step) * step;
}

function plotLine(svg, points) {
  const { x, y, from } = frame(svg, niceMax(points.map(p => p.v)), span(points.map(p => p.t)));
  const shown = points.filter(p => p.t >= from);
  if (shown.length < 2) return;
  const path = shown.map((p, i) => `${i ? "L" : "M"}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join("");
  svg.appendChild(svgEl("path", { class: "area", d: `${path}L${x(shown[shown.length - 1].t).toFixed(1)},${y(0)}L${x(shown[0].t).toFixed(1)},${y(0)}Z` }));
  svg.appendChild(svgEl("path", { class: "line", d: path }));
}

function plotBars(svg, bars) {
  const { x, y, from } = frame(svg, niceMax(bars.map(b => b.v)), span(bars.map(b => b.t)));
  for (const b of bars.filter(b => b.t >= from)) {
    const left = x(b.t);
    const rect = svgEl("rect", { class: "bar " + b.cls, x: (left - 2).toFixed(1), y: y(b.v).toFixed(1), width: 4, height: Math.max(1, y(0) - y(b.v)).toFixed(1) });
    rect.appendChild(svgEl("title", {}, `${ms(b.v)} at ${new Date(b.t).toLocaleTimeString([], { hour12: false })}`));
    svg.appendChild(rect);
  }
}

async function getJson(route) {
  const response = await fetch(route, { cache: "no-store" });
  if (!response.ok) throw new Error(`${route}: ${response.status}`);
  return response.json();
}

async function poll() {
  try {
    const [job, checkpoints, throughput] = await Promise.all([getJson("/job"), getJson("/job/checkpoints"), getJson("/job/throughput")]);
    renderJob(job);
    renderCheckpoints(checkpoints);
    renderThroughput(throughput, job.operators.length ? job.operators[0].id : null);
    $("unreachable").hidden = true;
  } catch (error) {
    $("unreachable").hidden = false;
    console.warn(error);
  } finally {
    setTimeout(poll, PollMs);
  }
}

poll();
