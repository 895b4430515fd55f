"use strict";
// Small SVG charts drawn by the page itself: no library, nothing fetched, no build step.
const SVG_NS = "http://www.w3.org/2000/svg";
const COLORS = {
  completed: "#2a9d8f", transferred: "#457b9d", abandoned: "#e9c46a", failed: "#e63946", unknown: "#aaa",
  Neutral: "#a8b0b8", Happy: "#8ac926", Ambiguous: "#cdb4db", Sad: "#4d78b0", Frustrated: "#f4a261", Angry: "#e63946",
  band0: "#2a9d8f", band1: "#a7c957", band2: "#f4a261", band3: "#e63946",
  sighs: "#6a4c93", laughs: "#8ac926", crying: "#1982c4",
};

function svgEl(tag, attributes, parent, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

function tooltip(node, text) { svgEl("title", {}, node, text); return node; }

function legend(element, entries) {
  element.replaceChildren();
  for (const [name, color] of entries) {
    const item = document.createElement("span");
    const swatch = document.createElement("i");
    swatch.style.background = color;
    item.append(swatch, name);
    element.appendChild(item);
  }
}

// A chart box: a titled card holding an SVG of the given size, with a legend underneath.
function chartBox(container, id, title, width, height, legendEntries) {
  const box = document.createElement("div");
  box.className = "chart";
  box.id = id;
  const heading = document.createElement("h3");
  heading.textContent = title;
  box.appendChild(heading);
  const svg = svgEl("svg", { viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img", "aria-label": title }, box);
  const key = document.createElement("p");
  key.className = "legend";
  legend(key, legendEntries);
  box.appendChild(key);
  container.appendChild(box);
  return svg;
}

function yAxis(svg, left, top, plotHeight, width, max, format) {
  for (let i = 0; i <= 4; i++) {
    const y = top + plotHeight - (plotHeight * i) / 4;
    svgEl("line", { x1: left, x2: width - 10, y1: y, y2: y, class: "grid" }, svg);
    svgEl("text", { x: left - 4, y: y + 4, "text-anchor": "end" }, svg, format((max * i) / 4));
  }
  svgEl("line", { x1: left, x2: left, y1: top, y2: top + plotHeight, class: "axis" }, svg);
}

function xLabels(svg, labels, left, step, baseline) {
  const every = Math.max(1, Math.ceil(labels.length / 10));
  labels.forEach((label, i) => {
    if (i % every === 0) svgEl("text", { x: left + step * (i + 0.5), y: baseline + 14, "text-anchor": "middle" }, svg, label);
  });
}

// Bars per bucket, each split into series; shares (0–1 of the bucket's total) when asShare is set.
function stackedBars(container, id, title, labels, series, asShare) {
  const width = 560, height = 205, left = 44, top = 10, plotHeight = 170;
  const svg = chartBox(container, id, title, width, height, series.map(s => [s.name, s.color]));
  const totals = labels.map((_, i) => series.reduce((sum, s) => sum + s.values[i], 0));
  const max = asShare ? 1 : Math.max(1, ...totals);
  yAxis(svg, left, top, plotHeight, width, max, v => asShare ? Math.round(v * 100) + "%" : (Number.isInteger(v) ? v : v.toFixed(1)));
  const step = (width - left - 10) / Math.max(1, labels.length);
  labels.forEach((label, i) => {
    let y = top + plotHeight;
    for (const s of series) {
      const value = asShare ? (totals[i] ? s.values[i] / totals[i] : 0) : s.values[i];
      const h = (plotHeight * value) / max;
      if (h <= 0) continue;
      y -= h;
      const rect = svgEl("rect", { x: left + step * i + step * 0.15, y, width: Math.max(1, step * 0.7), height: h, fill: s.color, "data-series": s.name }, svg);
      tooltip(rect, `${label} · ${s.name}: ${s.values[i]}${asShare && totals[i] ? ` (${Math.round(value * 100)}%)` : ""}`);
    }
  });
  xLabels(svg, labels, left, step, top + plotHeight);
  return svg;
}

// One line per series over the buckets.
function lineChart(container, id, title, labels, series) {
  const width = 560, height = 205, left = 44, top = 10, plotHeight = 170;
  const svg = chartBox(container, id, title, width, height, series.map(s => [s.name, s.color]));
  const max = Math.max(0.5, ...series.flatMap(s => s.values));
  yAxis(svg, left, top, plotHeight, width, max, v => v.toFixed(2));
  const step = (width - left - 10) / Math.max(1, labels.length);
  for (const s of series) {
    const points = s.values.map((v, i) => [left + step * (i + 0.5), top + plotHeight - (plotHeight * v) / max]);
    svgEl("polyline", { points: points.map(p => p.join(",")).join(" "), fill: "none", stroke: s.color, "stroke-width": 2 }, svg);
    points.forEach(([x, y], i) => tooltip(svgEl("circle", { cx: x, cy: y, r: 3, fill: s.color }, svg), `${labels[i]} · ${s.name}: ${s.values[i].toFixed(2)}`));
  }
  xLabels(svg, labels, left, step, top + plotHeight);
  return svg;
}
