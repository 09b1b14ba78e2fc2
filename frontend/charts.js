// charts.js — small, dependency-free SVG charts drawn by the page itself.
// Every chart is an <svg role="img"> with an aria-label and <title>s on its
// marks, scales with its container (viewBox) and uses the CSS colour tokens.

import { s } from './dom.js';

const fmt1 = (v) => (Math.round(v * 10) / 10).toString();

// showLabel says whether the i-th of n axis labels is drawn: every step-th,
// and the last, leaving out one that would crowd the last.
function showLabel(i, n, step) {
  if (i === n - 1) return true;
  return i % step === 0 && n - 1 - i >= step;
}

function frame(w, h, label, cls) {
  return s('svg', {
    class: `chart ${cls || ''}`, viewBox: `0 0 ${w} ${h}`, role: 'img',
    'aria-label': label, preserveAspectRatio: 'xMidYMid meet',
  }, s('title', null, label));
}

function niceMax(v) {
  if (v <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/**
 * lineChart draws one or more series over shared x labels.
 * opts: {labels: [string], series: [{name, values: [number|null], color}],
 *        yMax, yMin, label, width, height, valueFormat, empty}
 */
export function lineChart(opts) {
  const W = opts.width || 640, H = opts.height || 240;
  const pad = { l: 40, r: 16, t: 16, b: 32 };
  const svg = frame(W, H, opts.label, 'chart-line');
  const labels = opts.labels || [];
  const all = opts.series.flatMap((x) => x.values).filter((v) => v != null);
  if (!labels.length || !all.length) {
    svg.append(s('text', { x: W / 2, y: H / 2, class: 'chart-empty', 'text-anchor': 'middle' }, opts.empty || '—'));
    return svg;
  }
  const yMin = opts.yMin ?? 0;
  const yMax = opts.yMax ?? niceMax(Math.max(...all));
  const iw = W - pad.l - pad.r, ih = H - pad.t - pad.b;
  const x = (i) => pad.l + (labels.length === 1 ? iw / 2 : (i * iw) / (labels.length - 1));
  const y = (v) => pad.t + ih - ((v - yMin) / (yMax - yMin || 1)) * ih;
  const vf = opts.valueFormat || fmt1;

  const grid = s('g', { class: 'chart-grid' });
  for (let k = 0; k <= 4; k++) {
    const v = yMin + ((yMax - yMin) * k) / 4;
    grid.append(
      s('line', { x1: pad.l, x2: W - pad.r, y1: y(v), y2: y(v) }),
      s('text', { x: pad.l - 8, y: y(v) + 4, 'text-anchor': 'end', class: 'chart-tick' }, vf(v)),
    );
  }
  svg.append(grid);

  // x labels: at most ~7 so they never overlap.
  const step = Math.max(1, Math.ceil(labels.length / 7));
  const xl = s('g', { class: 'chart-xlabels' });
  labels.forEach((lab, i) => {
    if (!showLabel(i, labels.length, step)) return;
    const anchor = labels.length > 1 && i === 0 ? 'start' : labels.length > 1 && i === labels.length - 1 ? 'end' : 'middle';
    xl.append(s('text', { x: x(i), y: H - 10, 'text-anchor': anchor, class: 'chart-tick' }, lab));
  });
  svg.append(xl);

  opts.series.forEach((ser, si) => {
    const color = ser.color || `var(--series-${si + 1})`;
    const pts = ser.values.map((v, i) => (v == null ? null : [x(i), y(v), v, i])).filter(Boolean);
    if (!pts.length) return;
    const d = pts.map((p, i) => `${i ? 'L' : 'M'}${p[0].toFixed(1)},${p[1].toFixed(1)}`).join('');
    if (si === 0 && pts.length > 1) {
      const area = `${d}L${pts[pts.length - 1][0].toFixed(1)},${y(yMin)}L${pts[0][0].toFixed(1)},${y(yMin)}Z`;
      svg.append(s('path', { d: area, class: 'chart-area', style: { fill: color } }));
    }
    svg.append(s('path', { d, class: 'chart-stroke', style: { stroke: color } }));
    const g = s('g', { class: 'chart-points' });
    for (const [px, py, v, i] of pts) {
      g.append(s('circle', { cx: px, cy: py, r: 4, style: { stroke: color } },
        s('title', null, `${ser.name ? ser.name + ' · ' : ''}${labels[i]}: ${vf(v)}`)));
    }
    svg.append(g);
  });
  return svg;
}

/**
 * barChart draws vertical bars.
 * opts: {items: [{label, value, color, title}], label, height, yMax, valueFormat, empty}
 */
export function barChart(opts) {
  const W = opts.width || 640, H = opts.height || 220;
  const pad = { l: 40, r: 12, t: 16, b: 32 };
  const svg = frame(W, H, opts.label, 'chart-bar');
  const items = opts.items || [];
  if (!items.length) {
    svg.append(s('text', { x: W / 2, y: H / 2, class: 'chart-empty', 'text-anchor': 'middle' }, opts.empty || '—'));
    return svg;
  }
  const vf = opts.valueFormat || fmt1;
  let max = opts.yMax ?? niceMax(Math.max(...items.map((d) => d.value)));
  if (opts.integer) max = Math.max(4, Math.ceil(max / 4) * 4);
  const iw = W - pad.l - pad.r, ih = H - pad.t - pad.b;
  const bw = Math.min(iw / items.length, 90);
  const x0 = pad.l + (iw - bw * items.length) / 2;
  const y = (v) => pad.t + ih - (v / (max || 1)) * ih;
  const grid = s('g', { class: 'chart-grid' });
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    grid.append(
      s('line', { x1: pad.l, x2: W - pad.r, y1: y(v), y2: y(v) }),
      s('text', { x: pad.l - 8, y: y(v) + 4, 'text-anchor': 'end', class: 'chart-tick' }, vf(v)),
    );
  }
  svg.append(grid);
  const step = Math.max(1, Math.ceil(items.length / 8));
  items.forEach((d, i) => {
    const bx = x0 + i * bw + bw * 0.18, w = bw * 0.64;
    const by = y(d.value);
    svg.append(s('rect', {
      x: bx, y: by, width: Math.max(w, 1), height: Math.max(pad.t + ih - by, 0), rx: Math.min(6, w / 3),
      class: 'chart-barrect', style: { fill: d.color || 'var(--series-1)' },
    }, s('title', null, d.title || `${d.label}: ${vf(d.value)}`)));
    if (showLabel(i, items.length, step)) {
      svg.append(s('text', { x: bx + w / 2, y: H - 10, 'text-anchor': 'middle', class: 'chart-tick' }, d.label));
    }
  });
  return svg;
}

/**
 * funnelChart draws the milestone funnel: one centred bar per step, its width
 * proportional to the count, with the share of the first step.
 * opts: {steps: [{label, value, color}], label, valueLabel(step, pct)}
 */
export function funnelChart(opts) {
  const steps = opts.steps;
  const rowH = 44, gap = 14, W = 640;
  const H = steps.length * (rowH + gap) - gap + 4;
  const svg = frame(W, H, opts.label, 'chart-funnel');
  const top = Math.max(steps[0]?.value || 0, 1);
  const labelW = 128, valueW = 86, iw = W - labelW - valueW;
  steps.forEach((st, i) => {
    const w = st.value > 0 ? Math.max((st.value / top) * iw, 8) : 0;
    const x = labelW + (iw - w) / 2;
    const y = i * (rowH + gap) + 2;
    const pct = steps[0].value ? Math.round((st.value / steps[0].value) * 100) : 0;
    const g = s('g', { class: 'funnel-step' });
    g.append(
      s('text', { x: 0, y: y + rowH / 2 + 5, class: 'funnel-label' }, st.label),
      s('rect', { x: labelW, y, width: iw, height: rowH, rx: 8, class: 'funnel-track' }),
    );
    if (w) {
      g.append(s('rect', {
        x, y, width: w, height: rowH, rx: Math.min(8, w / 2), style: { fill: st.color || `var(--series-${i + 1})` },
      }, s('title', null, `${st.label}: ${st.value}${i ? ` (${pct}%)` : ''}`)));
    }
    g.append(
      s('text', { x: W - valueW + 14, y: y + rowH / 2 - 1, class: 'funnel-value' }, String(st.value)),
      s('text', { x: W - valueW + 14, y: y + rowH / 2 + 15, class: 'funnel-sub' }, i === 0 ? '100%' : `${pct}%`),
    );
    svg.append(g);
  });
  return svg;
}

/**
 * scoreRing draws a 0–100 score as a ring gauge, toned good, ok or low;
 * opts.neutral draws it untoned (a score still on its way).
 */
export function scoreRing(score, label, opts = {}) {
  const size = opts.size || 132, r = size / 2 - 10, c = 2 * Math.PI * r;
  const v = Math.max(0, Math.min(100, Number(score) || 0));
  const tone = opts.neutral ? 'neutral' : v >= 75 ? 'good' : v >= 50 ? 'ok' : 'low';
  const svg = s('svg', {
    class: `score-ring score-${tone}`, viewBox: `0 0 ${size} ${size}`, width: size, height: size,
    role: 'img', 'aria-label': label,
  }, s('title', null, label));
  svg.append(
    s('circle', { cx: size / 2, cy: size / 2, r, class: 'ring-track' }),
    s('circle', {
      cx: size / 2, cy: size / 2, r, class: 'ring-value',
      'stroke-dasharray': `${(c * v) / 100} ${c}`, transform: `rotate(-90 ${size / 2} ${size / 2})`,
    }),
    s('text', { x: size / 2, y: size / 2 + 4, 'text-anchor': 'middle', class: 'ring-number' }, String(v)),
    s('text', { x: size / 2, y: size / 2 + 24, 'text-anchor': 'middle', class: 'ring-max' }, '/ 100'),
  );
  return svg;
}

/**
 * shareBar compares a value (0..1) to a reference (0..1) on one bar.
 * opts: {value, reference, label, refLabel}
 */
export function shareBar(opts) {
  const W = 320, H = 48;
  const svg = frame(W, H, opts.label, 'chart-share');
  const v = Math.max(0, Math.min(1, opts.value || 0));
  const r = Math.max(0, Math.min(1, opts.reference || 0));
  const over = r && v > r + 0.1;
  svg.append(
    s('rect', { x: 0, y: 10, width: W, height: 14, rx: 7, class: 'share-track' }),
    s('rect', { x: 0, y: 10, width: Math.max(W * v, 2), height: 14, rx: 7, class: over ? 'share-value share-over' : 'share-value' }),
  );
  if (r) {
    svg.append(
      s('line', { x1: W * r, x2: W * r, y1: 4, y2: 30, class: 'share-ref' }),
      s('text', { x: Math.min(Math.max(W * r, 40), W - 40), y: 44, 'text-anchor': 'middle', class: 'chart-tick' }, opts.refLabel || ''),
    );
  }
  return svg;
}

/**
 * rangeBar shows a count against a reference range [min, max].
 * opts: {value, min, max, label, refLabel, scaleMax, neutral}; neutral: a
 * value outside the range is not marked as a warning.
 */
export function rangeBar(opts) {
  const W = 320, H = 48;
  const svg = frame(W, H, opts.label, 'chart-share');
  const top = Math.max(opts.scaleMax || 0, (opts.max || 0) * 1.6, opts.value + 1, 1);
  const x = (v) => (Math.min(v, top) / top) * W;
  svg.append(s('rect', { x: 0, y: 10, width: W, height: 14, rx: 7, class: 'share-track' }));
  if (opts.max) {
    svg.append(s('rect', { x: x(opts.min || 0), y: 10, width: Math.max(x(opts.max) - x(opts.min || 0), 2), height: 14, class: opts.neutral ? 'share-range share-range-neutral' : 'share-range' }));
  }
  const inRange = !opts.max || (opts.value >= (opts.min || 0) && opts.value <= opts.max);
  svg.append(
    s('circle', { cx: Math.max(x(opts.value), 8), cy: 17, r: 8, class: opts.neutral ? 'share-dot share-neutral' : inRange ? 'share-dot' : 'share-dot share-over' }),
    s('text', { x: Math.min(Math.max(x(((opts.min || 0) + (opts.max || 0)) / 2), 40), W - 40), y: 44, 'text-anchor': 'middle', class: 'chart-tick' }, opts.refLabel || ''),
  );
  return svg;
}

/**
 * stageStrip draws the call as a strip of turns coloured by stage, with
 * milestone flags above the turns where they were reached.
 * opts: {turns: [{turn, stage, milestones: []}], stageName(st), milestoneName(m), label}
 */
export function stageStrip(opts) {
  const turns = opts.turns.filter((t) => t.turn > 0);
  const W = 640, H = 62;
  const svg = frame(W, H, opts.label, 'chart-strip');
  if (!turns.length) return svg;
  const cw = W / turns.length;
  let prev = '';
  turns.forEach((t, i) => {
    const st = t.stage || prev;
    if (t.stage) prev = t.stage;
    svg.append(s('rect', {
      x: i * cw + 1, y: 30, width: Math.max(cw - 2, 1), height: 22, rx: 4,
      class: `strip-cell stage-fill-${st || 'none'}`,
    }, s('title', null, `#${t.turn} · ${st ? opts.stageName(st) : '—'}`)));
    (t.milestones || []).forEach((m, k) => {
      const cx = i * cw + cw / 2;
      svg.append(
        s('line', { x1: cx, x2: cx, y1: 10 + k * 4, y2: 30, class: `strip-flagpole ms-stroke-${m}` }),
        s('circle', { cx, cy: 9 + k * 4, r: 6, class: `strip-flag ms-fill-${m}` },
          s('title', null, `${opts.milestoneName(m)} · #${t.turn}`)),
      );
    });
  });
  return svg;
}
