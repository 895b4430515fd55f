"use strict";
// The page's views: #live (server-sent events), #calls (search), #call/<id> (detail), #trends (charts).
// Times are shown in the browser's own time zone; the server is asked for days in that zone too.
const OUTCOMES = ["completed", "transferred", "abandoned", "failed", "unknown"];
const EMOTIONS = ["Angry", "Frustrated", "Sad", "Ambiguous", "Neutral", "Happy"];
const BANDS = ["< 0.25", "0.25–0.5", "0.5–0.75", "≥ 0.75"];
const calls = new Map();
const statusLine = document.getElementById("status");
const $ = id => document.getElementById(id);

function cell(row, text, attributes) {
  const td = row.insertCell();
  td.textContent = text;
  for (const [name, value] of Object.entries(attributes || {})) td.setAttribute(name, value);
  return td;
}
const fixed = (x, digits) => Number(x).toFixed(digits);
const local = iso => iso ? new Date(iso).toLocaleString(undefined, { dateStyle: "short", timeStyle: "medium" }) : "";
const localHour = iso => new Date(iso).toLocaleString(undefined, { dateStyle: "short", timeStyle: "short" });
const duration = s => s >= 60 ? `${Math.floor(s / 60)}m ${String(Math.round(s % 60)).padStart(2, "0")}s` : `${fixed(s, 0)}s`;
const level = score => score >= 0.75 ? "high" : score >= 0.5 ? "elevated" : "";
$("zone-note").textContent = `(hours in ${Intl.DateTimeFormat().resolvedOptions().timeZone})`;
legend($("outcome-legend"), OUTCOMES.map(o => [o, COLORS[o]]));

function frustrationBar(td, score, band) {
  const bar = document.createElement("span");
  bar.className = "bar " + (band || "");
  const fill = document.createElement("span");
  fill.style.width = Math.round(Math.min(1, Math.max(0, score)) * 100) + "%";
  bar.appendChild(fill);
  td.append(bar, ` ${fixed(score, 2)} ${band || ""}`.trimEnd());
}

function outcomeMix(td, outcomes) {
  const total = OUTCOMES.reduce((sum, o) => sum + outcomes[o], 0);
  const mix = document.createElement("span");
  mix.className = "mix";
  for (const o of OUTCOMES) {
    if (!outcomes[o]) continue;
    const part = document.createElement("span");
    part.style.width = (100 * outcomes[o] / total) + "%";
    part.style.background = COLORS[o];
    part.title = `${o}: ${outcomes[o]}`;
    mix.appendChild(part);
  }
  td.append(mix, OUTCOMES.filter(o => outcomes[o]).map(o => `${outcomes[o]} ${o}`).join(" · ") || "–");
  for (const o of OUTCOMES) td.dataset[o] = outcomes[o];
}

// ---- Live ----
function renderCalls() {
  const body = document.querySelector("#active-calls tbody");
  body.replaceChildren();
  for (const c of [...calls.values()].sort((a, b) => a.startedAt.localeCompare(b.startedAt))) {
    const row = body.insertRow();
    row.id = "call-" + c.callId;
    row.dataset.callId = c.callId;
    row.className = "clickable";
    row.onclick = () => { location.hash = "#call/" + encodeURIComponent(c.callId); };
    cell(row, c.callId); cell(row, c.flow); cell(row, c.from); cell(row, local(c.startedAt));
    cell(row, c.emotion ? `${c.emotion} (${fixed(c.emotionConfidence, 2)})` : "–", { "class": "emotion" });
    frustrationBar(cell(row, "", { "class": "frustration", "data-score": fixed(c.frustration, 2) }), c.frustration, c.frustrationLevel);
    cell(row, Object.entries(c.vocalEvents || {}).map(([k, v]) => `${k} ${v}`).join(", "));
    cell(row, local(c.lastActivity));
  }
  if (!calls.size) cell(body.insertRow(), "No call in progress.", { colspan: 8, "class": "muted" });
}

function renderAggregates(rows) {
  const body = document.querySelector("#aggregates tbody");
  body.replaceChildren();
  for (const a of rows) {
    const row = body.insertRow();
    row.dataset.flow = a.flow;
    row.dataset.hour = a.hour;
    cell(row, localHour(a.hour)); cell(row, a.flow);
    cell(row, a.callsStarted, { "class": "started num" }); cell(row, a.callsEnded, { "class": "ended num" });
    outcomeMix(cell(row, "", { "class": "outcomes" }), a.outcomes);
    cell(row, `${fixed(a.meanPeakFrustration, 2)} / ${fixed(a.peakFrustration, 2)}`, { "class": "num" });
    cell(row, duration(a.meanDurationSeconds), { "class": "num" });
    cell(row, `${fixed(a.sighsPerCall, 2)} / ${fixed(a.sighsPerMinute, 2)}`, { "class": "num" });
    cell(row, `${fixed(a.laughsPerCall, 2)} / ${fixed(a.laughsPerMinute, 2)}`, { "class": "num" });
  }
}

function seen(e) {
  statusLine.dataset.lastEventId = e.lastEventId;
  statusLine.textContent = `live · last update ${new Date().toLocaleTimeString()}`;
}

const source = new EventSource("api/stream");
source.addEventListener("snapshot", e => {
  const s = JSON.parse(e.data);
  calls.clear();
  for (const c of s.activeCalls) calls.set(c.callId, c);
  renderCalls(); renderAggregates(s.aggregates); seen(e);
});
source.addEventListener("call", e => { const c = JSON.parse(e.data); calls.set(c.callId, c); renderCalls(); seen(e); });
source.addEventListener("ended", e => { calls.delete(JSON.parse(e.data).callId); renderCalls(); seen(e); });
source.addEventListener("aggregates", e => { renderAggregates(JSON.parse(e.data)); seen(e); });
source.onerror = () => { statusLine.textContent = "disconnected, retrying…"; };

// A 400 names the parameter; a 503 says why the database cannot answer (RFC 9457 problem details).
const problem = (response, body) =>
  `${body.parameter ? body.parameter + ": " : ""}${body.error || body.detail || response.statusText || "HTTP " + response.status}`;

// ---- Calls ----
let page = 1;
function callQuery(withPage) {
  const form = $("call-filters"), q = new URLSearchParams();
  for (const name of ["from", "to"]) if (form[name].value) q.set(name, new Date(form[name].value).toISOString());
  for (const name of ["flow", "outcome", "frustrationAbove", "emotion"]) if (form[name].value.trim()) q.set(name, form[name].value.trim());
  const has = [...form.querySelectorAll("input[name=has]:checked")].map(i => i.value);
  if (has.length) q.set("has", has.join(","));
  if (withPage) { q.set("page", page); q.set("pageSize", 50); }
  return q;
}

async function loadCalls() {
  $("csv-link").href = "api/calls.csv?" + callQuery(false);
  const response = await fetch("api/calls?" + callQuery(true));
  const body = await response.json();
  const error = $("calls-error");
  error.textContent = response.ok ? "" : problem(response, body);
  const tbody = document.querySelector("#calls tbody");
  tbody.replaceChildren();
  if (!response.ok) return;
  const first = (body.page - 1) * body.pageSize;
  $("calls-count").textContent = body.total ? `${first + 1}–${first + body.calls.length} of ${body.total}` : "no calls match";
  $("prev").disabled = body.page <= 1;
  $("next").disabled = first + body.calls.length >= body.total;
  for (const c of body.calls) {
    const row = tbody.insertRow();
    row.className = "clickable";
    row.dataset.callId = c.callId;
    row.onclick = () => { location.hash = "#call/" + encodeURIComponent(c.callId); };
    cell(row, local(c.startedAt)); cell(row, c.flow); cell(row, c.caller);
    cell(row, c.endedAt ? duration(c.durationSeconds) : "…", { "class": "num" });
    cell(row, c.outcome, { "class": "outcome" });
    frustrationBar(cell(row, "", { "class": "frustration" }), c.peakFrustration, level(c.peakFrustration));
    cell(row, c.dominantEmotion || "–"); cell(row, c.turns, { "class": "num" });
    cell(row, [["sigh", c.sighs], ["laugh", c.laughs], ["crying", c.crying]].filter(([, n]) => n).map(([k, n]) => `${k} ${n}`).join(", ") || "–");
    cell(row, c.events, { "class": "num" });
  }
}
$("call-filters").addEventListener("submit", e => { e.preventDefault(); page = 1; loadCalls(); });
$("prev").onclick = () => { page = Math.max(1, page - 1); loadCalls(); };
$("next").onclick = () => { page++; loadCalls(); };

// ---- One call ----
const rounded = (_, v) => typeof v === "number" && !Number.isInteger(v) ? Number(v.toFixed(3)) : v;
function card(container, title, value) {
  const c = document.createElement("div");
  c.className = "card";
  const b = document.createElement("b");
  b.textContent = value;
  c.append(b, title);
  container.appendChild(c);
}

async function loadCall(callId) {
  $("call-title").textContent = callId;
  const response = await fetch("api/calls/" + encodeURIComponent(callId));
  const cards = $("call-cards");
  cards.replaceChildren();
  if (!response.ok) {
    // Only a 404 means the call is not there; a 503 (database unavailable) must not read as "no such call".
    cards.textContent = response.status === 404 ? `No call ${callId} is stored.`
      : `The call cannot be shown now: ${problem(response, await response.json().catch(() => ({})))}`;
    $("timeline").replaceChildren();
    return;
  }
  const detail = await response.json(), c = detail.call;
  card(cards, "started", local(c.startedAt) + (c.startSeen ? "" : " (start not received)"));
  card(cards, "flow", c.flow); card(cards, "caller", c.caller || "–"); card(cards, "outcome", c.outcome);
  card(cards, "duration", c.endedAt ? duration(c.durationSeconds) : "in progress");
  card(cards, "peak frustration", fixed(c.peakFrustration, 2)); card(cards, "dominant emotion", c.dominantEmotion || "–");
  card(cards, "sighs / laughs / crying", `${c.sighs} / ${c.laughs} / ${c.crying}`); card(cards, "keys", c.keys);
  legend($("timeline-legend"), [...EMOTIONS.map(e => [e, COLORS[e]]), ["frustration", "#e63946"], ["transfer", "#457b9d"]]);
  drawTimeline($("timeline"), detail);

  const turns = document.querySelector("#turns tbody"), all = document.querySelector("#events tbody");
  turns.replaceChildren(); all.replaceChildren();
  let reasons = [], n = 0;
  for (const e of detail.events) {
    const d = e.data;
    if (e.type === "FrustrationChanged") reasons = d.topReasons || [];
    if (e.type === "EmotionDetected") {
      const row = turns.insertRow();
      cell(row, ++n); cell(row, `${fixed(d.startSeconds, 1)}–${fixed(d.endSeconds, 1)} s`); cell(row, d.label, { "class": "emotion" });
      cell(row, fixed(d.confidence, 2), { "class": "num" }); cell(row, fixed(d.arousal, 2), { "class": "num" }); cell(row, fixed(d.valence, 2), { "class": "num" });
      cell(row, (d.topScores || []).map(t => `${t.label} ${fixed(t.score, 2)}`).join(", "));
      cell(row, reasons.map(r => `${r.cue} +${fixed(r.contribution, 2)} (${r.detail})`).join("; ") || "–");
    }
    const row = all.insertRow();
    row.dataset.type = e.type;
    cell(row, e.sequence, { "class": "num" }); cell(row, local(e.timestamp)); cell(row, e.type);
    // Fields a contract version leaves empty (turn, cues, flowVersion…) are noise to an analyst: not listed.
    const details = Object.entries(d).filter(([k, v]) => v !== null && !["eventId", "callId", "sequence", "timestamp"].includes(k))
      .map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v, rounded) : rounded(k, v)}`).join(" · ");
    cell(row, details);
  }
}

// ---- Trends ----
async function loadTrends() {
  const form = $("trend-filters"), q = new URLSearchParams();
  q.set("bucket", form.bucket.value);
  q.set("from", new Date(Date.now() - form.days.value * 86400000).toISOString());
  q.set("utcOffsetMinutes", -new Date().getTimezoneOffset());
  const response = await fetch("api/trends?" + q);
  const rows = await response.json().catch(() => ({}));
  $("trends-error").textContent = response.ok ? "" : problem(response, rows);
  if (!response.ok) return;
  const flows = [...new Set(rows.map(r => r.flow))].sort();
  const chosen = form.flow.value;
  form.flow.replaceChildren(new Option("all flows", ""), ...flows.map(f => new Option(f, f)));
  form.flow.value = flows.includes(chosen) ? chosen : "";
  const shown = rows.filter(r => !form.flow.value || r.flow === form.flow.value);
  // Sum the chosen flows per bucket, oldest first.
  const byBucket = new Map();
  for (const r of shown) {
    const b = byBucket.get(r.bucket) || { calls: 0, ended: 0, outcomes: Object.fromEntries(OUTCOMES.map(o => [o, 0])), bands: [0, 0, 0, 0],
      emotions: Object.fromEntries(EMOTIONS.map(e => [e, 0])), sighs: 0, laughs: 0 };
    b.calls += r.calls; b.ended += r.callsEnded; b.sighs += r.sighs; b.laughs += r.laughs;
    OUTCOMES.forEach(o => b.outcomes[o] += r.outcomes[o]);
    r.frustrationBands.forEach((v, i) => b.bands[i] += v);
    EMOTIONS.forEach(e => b.emotions[e] += r.emotions[e] || 0);
    byBucket.set(r.bucket, b);
  }
  const keys = [...byBucket.keys()].sort();
  const day = form.bucket.value === "day";
  const labels = keys.map(k => new Date(k).toLocaleString(undefined, day ? { month: "short", day: "numeric" } : { day: "numeric", hour: "2-digit" }));
  const data = keys.map(k => byBucket.get(k));
  const charts = $("charts");
  charts.replaceChildren();
  stackedBars(charts, "chart-outcomes", "Outcome mix (ended calls)", labels, OUTCOMES.map(o => ({ name: o, color: COLORS[o], values: data.map(d => d.outcomes[o]) })), false);
  stackedBars(charts, "chart-frustration", "Peak frustration per call", labels, BANDS.map((b, i) => ({ name: b, color: COLORS["band" + i], values: data.map(d => d.bands[i]) })), true);
  stackedBars(charts, "chart-emotions", "Emotion of caller turns", labels, EMOTIONS.map(e => ({ name: e, color: COLORS[e], values: data.map(d => d.emotions[e]) })), true);
  lineChart(charts, "chart-vocal", "Sighs and laughs per ended call", labels, [
    { name: "sighs", color: COLORS.sighs, values: data.map(d => d.ended ? d.sighs / d.ended : 0) },
    { name: "laughs", color: COLORS.laughs, values: data.map(d => d.ended ? d.laughs / d.ended : 0) }]);

  const table = document.querySelector("#trend-table tbody");
  table.replaceChildren();
  for (const r of shown) {
    const row = table.insertRow();
    row.dataset.flow = r.flow;
    cell(row, new Date(r.bucket).toLocaleString(undefined, day ? { dateStyle: "medium" } : { dateStyle: "short", timeStyle: "short" }));
    cell(row, r.flow); cell(row, r.calls, { "class": "num" });
    outcomeMix(cell(row, ""), r.outcomes);
    cell(row, fixed(r.meanPeakFrustration, 2), { "class": "num" });
    cell(row, fixed(r.sighsPerCall, 2), { "class": "num" }); cell(row, fixed(r.laughsPerCall, 2), { "class": "num" });
  }
}
$("trend-filters").addEventListener("submit", e => { e.preventDefault(); loadTrends(); });

// ---- Routing ----
function route() {
  const hash = location.hash || "#live";
  let view = hash.startsWith("#call/") ? "call" : hash.slice(1);
  if (!["live", "calls", "call", "trends"].includes(view)) view = "live";
  for (const name of ["live", "calls", "call", "trends"]) $("view-" + name).hidden = name !== view;
  for (const a of document.querySelectorAll("nav a")) a.classList.toggle("current", a.getAttribute("href") === "#" + (view === "call" ? "calls" : view));
  if (view === "calls") loadCalls();
  if (view === "call") loadCall(decodeURIComponent(hash.slice("#call/".length)));
  if (view === "trends") loadTrends();
}
window.addEventListener("hashchange", route);
route();
