// Small SVG charts for the evaluation reports (no chart library on the phone). Rank charts put
// rank 1 at the top. Labels are never cut: period labels break at their space and the chart
// scrolls sideways when there are many periods; bar labels sit above their bars.

import { h, s } from './dom.js';

const COLORS = ['#c8161d', '#1f6feb', '#e08e0b', '#2da44e', '#8250df', '#0e8a8a', '#bf3989', '#6e7781', '#9a6700', '#1a7f37', '#cf222e', '#0969da'];
const FONT = 10;

function ticks(lo, hi, count = 5) {
  const span = Math.max(hi - lo, 1);
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((x) => x >= raw) || mag * 10;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(Math.round(v * 100) / 100);
  if (lo >= 1 && out[0] !== lo && lo === 1) out.unshift(1);
  return out;
}

export function legend(series) {
  if (series.length < 2) return null;
  return h('div', { class: 'legend' }, series.map((x, i) => h('span', { class: 'legend-item' },
    h('i', { class: 'legend-swatch', style: { background: COLORS[i % COLORS.length] } }), x.name)));
}

/** Lines over categories (periods). ``ranks``: rank 1 at the top, axis down to ``max``. */
export function lineChart({ categories, series, ranks = false, max = null, unit = '' }) {
  const left = 34;
  const right = 14;
  const top = 14;
  const plotH = 150;
  const n = Math.max(categories.length, 1);
  const slot = Math.max(72, (340 - left - right) / n); // at least room for "2025-2026学年" under each point
  const width = Math.max(340, left + right + slot * n);
  const height = top + plotH + 34;
  const values = series.flatMap((x) => x.values).filter((v) => v !== null && v !== undefined);
  let lo = ranks ? 1 : Math.min(0, ...values);
  let hi = ranks ? Math.max(max || 1, ...values, 1) : Math.max(...values, 1);
  if (ranks) { lo = 0.5; hi += 0.5; } // half a step of room around rank 1 and the last rank
  const y = (v) => (ranks ? top + ((v - lo) / (hi - lo)) * plotH : top + plotH - ((v - lo) / (hi - lo || 1)) * plotH);
  const x = (i) => left + slot * i + slot / 2;
  const grid = ticks(ranks ? 1 : lo, ranks ? hi - 0.5 : hi).map((t) => s('g', null,
    s('line', { x1: left, x2: width - right, y1: y(t), y2: y(t), class: 'grid' }),
    s('text', { x: left - 4, y: y(t) + 3, 'text-anchor': 'end', class: 'axis' }, String(t))));
  const labels = categories.map((c, i) => {
    const parts = String(c).split(' ');
    return s('text', { x: x(i), y: top + plotH + 14, 'text-anchor': 'middle', class: 'axis' },
      parts.map((p, k) => s('tspan', { x: x(i), dy: k ? FONT + 2 : 0 }, p)));
  });
  const lines = series.map((ser, k) => {
    const color = COLORS[k % COLORS.length];
    const pts = ser.values.map((v, i) => (v === null || v === undefined ? null : [x(i), y(v), v]));
    const segments = [];
    let run = [];
    pts.forEach((p) => { if (p) run.push(p); else { if (run.length) segments.push(run); run = []; } });
    if (run.length) segments.push(run);
    return s('g', { class: 'series', 'data-series': ser.name },
      segments.map((seg) => s('polyline', { points: seg.map((p) => `${p[0]},${p[1]}`).join(' '), fill: 'none', stroke: color, 'stroke-width': 2 })),
      pts.filter(Boolean).map((p) => s('circle', { cx: p[0], cy: p[1], r: 3, fill: color },
        s('title', null, `${ser.name}：${p[2]}${unit}`))),
      series.length <= 2 ? pts.filter(Boolean).map((p) => s('text', { x: p[0], y: p[1] - 6, 'text-anchor': 'middle', class: 'point' }, String(p[2]))) : null);
  });
  const fits = width === 340; // few periods: fill the card; many: real pixels and a sideways scroll
  const svg = s('svg', { class: 'chart-svg', viewBox: `0 0 ${width} ${height}`, width: fits ? '100%' : width, role: 'img' },
    grid, labels, lines);
  return h('div', { class: 'chart' }, h('div', { class: 'chart-scroll' }, svg), legend(series));
}

/** Horizontal bars, one per category, the label above each bar so long names read in full. */
export function barChart({ categories, values, unit = '' }) {
  const width = 340;
  const rowH = 34;
  const left = 4;
  const right = 40;
  const maxV = Math.max(...values.map((v) => v || 0), 1);
  const height = rowH * categories.length + 4;
  const rows = categories.map((c, i) => {
    const v = values[i] || 0;
    const w = ((width - left - right) * v) / maxV;
    const top = i * rowH;
    return s('g', { class: 'bar-row' },
      s('text', { x: left, y: top + 12, class: 'axis bar-label' }, String(c)),
      s('rect', { x: left, y: top + 16, width: Math.max(w, v ? 2 : 0), height: 12, rx: 2, fill: COLORS[0] }),
      s('text', { x: left + w + 4, y: top + 26, class: 'point' }, `${values[i] ?? '—'}${unit}`));
  });
  return h('div', { class: 'chart' }, s('svg', { class: 'chart-svg', viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img' }, rows));
}
