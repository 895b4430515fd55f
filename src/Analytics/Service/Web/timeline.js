"use strict";
// The call detail timeline: one SVG, x = seconds into the call. Events that carry a position on the caller's audio
// clock (segments, emotions, vocal events, frustration, barge-ins) use it; the others (keys, transfer, end) use
// their wall-clock time since the call started.

const LANES = [
  ["speech", "Speech / turns"], ["emotion", "Emotion per turn"], ["frustration", "Frustration"],
  ["vocal", "Vocal events"], ["keys", "Keys"], ["prompts", "Prompts & barge-ins"], ["flow", "Transfer / outcome"],
];

function eventSeconds(e, startMs) {
  const d = e.data;
  for (const name of ["startSeconds", "atSeconds"]) if (typeof d[name] === "number") return d[name];
  return Math.max(0, (Date.parse(e.timestamp) - startMs) / 1000);
}

function drawTimeline(svg, detail) {
  svg.replaceChildren();
  const call = detail.call, startMs = Date.parse(call.startedAt);
  const events = detail.events;
  const end = Math.max(1, call.durationSeconds || 0,
    ...events.map(e => eventSeconds(e, startMs) + (e.data.durationSeconds && e.type !== "CallEnded" ? e.data.durationSeconds : 0)));
  const width = 1200, left = 150, right = 20, laneHeight = 34, frustrationHeight = 90;
  const heights = LANES.map(([lane]) => lane === "frustration" ? frustrationHeight : laneHeight);
  const tops = heights.reduce((acc, h, i) => { acc.push(i === 0 ? 10 : acc[i - 1] + heights[i - 1]); return acc; }, []);
  const height = tops[tops.length - 1] + heights[heights.length - 1] + 30;
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const x = s => left + ((width - left - right) * s) / end;
  const lane = name => { const i = LANES.findIndex(l => l[0] === name); return { top: tops[i], h: heights[i] }; };

  LANES.forEach(([name, title], i) => {
    svgEl("rect", { x: 0, y: tops[i], width, height: heights[i], fill: i % 2 ? "#fff" : "#f7f7f7" }, svg);
    svgEl("text", { x: 8, y: tops[i] + heights[i] / 2 + 4 }, svg, title);
  });
  const axisY = height - 22;
  svgEl("line", { x1: left, x2: width - right, y1: axisY, y2: axisY, class: "axis" }, svg);
  const tick = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600].find(t => end / t <= 12) || 1200;
  for (let t = 0; t <= end; t += tick) {
    svgEl("line", { x1: x(t), x2: x(t), y1: 10, y2: axisY, class: "grid" }, svg);
    svgEl("text", { x: x(t), y: axisY + 14, "text-anchor": "middle" }, svg, t >= 60 ? `${Math.floor(t / 60)}:${String(Math.round(t % 60)).padStart(2, "0")}` : `${t}s`);
  }

  const frustration = lane("frustration");
  const fy = score => frustration.top + frustration.h - 6 - (frustration.h - 12) * Math.min(1, Math.max(0, score));
  // The score as a curve: it holds (and decays) between reports, so each report draws from the previous score it
  // names to the new one; straight lines between reports approximate the decay.
  const curve = [[0, 0]];
  const thresholds = new Set();
  for (const e of events) {
    const d = e.data, s = eventSeconds(e, startMs);
    switch (e.type) {
      case "SpeechSegmentDetected": {
        const l = lane("speech");
        tooltip(svgEl("rect", { x: x(d.startSeconds), y: l.top + 10, width: Math.max(2, x(d.endSeconds) - x(d.startSeconds)), height: 14, fill: "#bbb", class: "segment" }, svg),
          `speech ${d.startSeconds.toFixed(1)}–${d.endSeconds.toFixed(1)} s`);
        break;
      }
      case "EmotionDetected": {
        const l = lane("emotion");
        const color = COLORS[d.label] || "#999";
        const rect = svgEl("rect", { x: x(d.startSeconds), y: l.top + 6, width: Math.max(3, x(d.endSeconds) - x(d.startSeconds)), height: 22, fill: color, class: "turn", "data-label": d.label }, svg);
        tooltip(rect, `${d.label} ${Number(d.confidence).toFixed(2)} · arousal ${Number(d.arousal).toFixed(2)} · valence ${Number(d.valence).toFixed(2)}` +
          (d.topScores || []).map(t => `\n${t.label} ${Number(t.score).toFixed(2)}`).join(""));
        if (x(d.endSeconds) - x(d.startSeconds) > 40) svgEl("text", { x: x(d.startSeconds) + 3, y: l.top + 21, fill: "#fff" }, svg, d.label);
        break;
      }
      case "FrustrationChanged": {
        curve.push([s, d.previousScore ?? d.score], [s, d.score]);
        if (d.thresholdCrossed !== null && d.thresholdCrossed !== undefined) {
          const up = d.score >= d.previousScore;
          // Upward crossings point up (red), downward ones down (green), on the threshold they crossed.
          const mark = svgEl("path", { d: `M${x(s)},${fy(d.thresholdCrossed) + (up ? -7 : 7)} l6,${up ? 12 : -12} l-12,0 z`, fill: up ? "#e63946" : "#2a9d8f", class: "crossing" }, svg);
          tooltip(mark, `crossed ${d.thresholdCrossed} ${up ? "upwards" : "downwards"} at ${s.toFixed(1)} s → ${d.level}` +
            (d.topReasons || []).map(r => `\n${r.cue}: +${Number(r.contribution).toFixed(2)} (${r.detail})`).join(""));
          if (!thresholds.has(d.thresholdCrossed)) {
            thresholds.add(d.thresholdCrossed);
            svgEl("line", { x1: left, x2: width - right, y1: fy(d.thresholdCrossed), y2: fy(d.thresholdCrossed), stroke: "#e6394655", "stroke-dasharray": "4 4" }, svg);
            svgEl("text", { x: left - 4, y: fy(d.thresholdCrossed) + 4, "text-anchor": "end", fill: "#e63946" }, svg, d.thresholdCrossed);
          }
        }
        break;
      }
      case "VocalEventDetected": {
        const l = lane("vocal");
        const mark = svgEl("g", { class: "vocal", "data-kind": d.kind }, svg);
        svgEl("circle", { cx: x(d.startSeconds), cy: l.top + 17, r: 7, fill: COLORS[(d.kind || "").toLowerCase() + "s"] || COLORS[(d.kind || "").toLowerCase()] || "#777" }, mark);
        svgEl("text", { x: x(d.startSeconds), y: l.top + 21, "text-anchor": "middle", fill: "#fff" }, mark, (d.kind || "?")[0]);
        tooltip(mark, `${d.kind} at ${d.startSeconds.toFixed(1)} s, ${Number(d.durationSeconds).toFixed(1)} s long, confidence ${Number(d.confidence).toFixed(2)}`);
        break;
      }
      case "DtmfReceived": {
        const l = lane("keys");
        const mark = svgEl("g", { class: "key" }, svg);
        svgEl("rect", { x: x(s) - 8, y: l.top + 8, width: 16, height: 18, rx: 3, fill: "#fff", stroke: "#333" }, mark);
        svgEl("text", { x: x(s), y: l.top + 21, "text-anchor": "middle" }, mark, d.digit);
        tooltip(mark, `key ${d.digit} at ${s.toFixed(1)} s (${d.source})`);
        break;
      }
      case "BargeInDetected": {
        const l = lane("prompts");
        tooltip(svgEl("path", { d: `M${x(s)},${l.top + 6} l6,11 l-6,11 l-6,-11 z`, fill: "#f4a261", class: "barge-in" }, svg), `caller spoke over a prompt at ${s.toFixed(1)} s`);
        break;
      }
      case "CallTransferred": {
        const l = lane("flow");
        svgEl("line", { x1: x(s), x2: x(s), y1: 10, y2: axisY, stroke: "#457b9d", "stroke-width": 2, class: "transfer" }, svg);
        svgEl("text", { x: x(s) + 4, y: l.top + 13 }, svg, `transfer (${d.mode}) → ${d.target}`);
        break;
      }
      case "CallEnded": {
        const l = lane("flow");
        const at = Math.min(end, d.durationSeconds || s);
        svgEl("line", { x1: x(at), x2: x(at), y1: 10, y2: axisY, stroke: "#333", "stroke-width": 2, class: "end" }, svg);
        svgEl("text", { x: x(at) - 4, y: l.top + 29, "text-anchor": "end", "font-weight": "bold" }, svg, `${call.outcome} · hung up by ${d.hungUpBy}`);
        break;
      }
      case "CallStarted":
        break;
      default: {
        // Event types of newer contracts (a prompt played, a conversation turn): shown as prompts-lane marks.
        const l = lane("prompts");
        tooltip(svgEl("rect", { x: x(s) - 3, y: l.top + 8, width: 6, height: 18, fill: "#8d99ae", class: "other" }, svg), `${e.type} at ${s.toFixed(1)} s`);
      }
    }
  }
  curve.sort((a, b) => a[0] - b[0]);
  svgEl("polyline", { points: curve.map(([s, v]) => `${x(s)},${fy(v)}`).join(" "), fill: "none", stroke: "#e63946", "stroke-width": 2, class: "frustration-curve" }, svg);
  for (const [s, v] of curve.slice(1).filter((_, i) => i % 2 === 1)) tooltip(svgEl("circle", { cx: x(s), cy: fy(v), r: 2.5, fill: "#e63946" }, svg), `${v.toFixed(2)} at ${s.toFixed(1)} s`);
}
