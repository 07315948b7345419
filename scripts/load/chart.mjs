// The run as a picture: throughput and memory over time in one SVG, without a library. Two
// panels share the time axis (seconds since the load began); the fault and the route-alone
// phase are shaded bands.
const WIDTH = 960;
const PANEL = { height: 280, left: 70, right: 170, top: 36, bottom: 42 };
const PLOT_HEIGHT = PANEL.height - PANEL.top - PANEL.bottom;

function escapeXml(text) {
  return String(text).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** One SVG element: `el('line', { x1: 0 })`, or with text content. */
function el(name, attributes, text) {
  const list = Object.entries(attributes).map(([k, v]) => ` ${k}="${escapeXml(v)}"`);
  const open = `<${name}${list.join('')}`;

  return text === undefined ? `${open}/>` : `${open}>${escapeXml(text)}</${name}>`;
}

/** A round step so that about `count` ticks cover `max`. */
function tickStep(max, count) {
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw || 1));

  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
}

function ticks(max, count) {
  const step = tickStep(max, count);
  const values = [];
  for (let v = 0; v <= max + step / 1000; v += step) values.push(Number(v.toFixed(6)));
  return values;
}

function scales(top, xMax, yMax) {
  const plotWidth = WIDTH - PANEL.left - PANEL.right;
  const bottom = top + PANEL.height - PANEL.bottom;
  const round = (n) => Math.round(n * 10) / 10;

  return {
    bottom,
    x: (v) => round(PANEL.left + (v / (xMax || 1)) * plotWidth),
    y: (v) => round(bottom - (v / (yMax || 1)) * PLOT_HEIGHT),
  };
}

function frame(top, scale, { title, yLabel, xMax, yMax }) {
  const { bottom } = scale;
  const right = WIDTH - PANEL.right;
  const grid = ticks(yMax, 5).flatMap((v) => [
    el('line', { x1: PANEL.left, x2: right, y1: scale.y(v), y2: scale.y(v), stroke: '#e4e4e4' }),
    el('text', { x: PANEL.left - 6, y: scale.y(v) + 4, 'text-anchor': 'end' }, v),
  ]);
  const xTicks = ticks(xMax, 10).map((v) =>
    el('text', { x: scale.x(v), y: bottom + 16, 'text-anchor': 'middle' }, v),
  );

  return [
    el('text', { x: PANEL.left, y: top + 20, 'font-weight': 'bold' }, title),
    ...grid,
    ...xTicks,
    el('text', { x: right, y: bottom + 32, 'text-anchor': 'end' }, 'seconds'),
    el('text', { x: PANEL.left - 6, y: top + PANEL.top - 8, 'text-anchor': 'end' }, yLabel),
    el('line', { x1: PANEL.left, x2: PANEL.left, y1: top + PANEL.top, y2: bottom, stroke: '#888' }),
    el('line', { x1: PANEL.left, x2: right, y1: bottom, y2: bottom, stroke: '#888' }),
  ];
}

function lines(series, scale) {
  const style = { fill: 'none', stroke: series.color, 'stroke-width': 1.6 };
  if (series.dashed) style['stroke-dasharray'] = '5 3';

  return series.segments
    .filter((points) => points.length > 0)
    .map((points) => {
      // A one-second slice is a single point, which a path would not draw.
      if (points.length === 1) {
        const [[x, y]] = points;
        return el('circle', { cx: scale.x(x), cy: scale.y(y), r: 2.5, fill: series.color });
      }
      const d = points.map(([x, y], i) => `${i ? 'L' : 'M'}${scale.x(x)},${scale.y(y)}`);
      return el('path', { d: d.join(''), ...style });
    });
}

function legend(top, allSeries) {
  const x = WIDTH - PANEL.right + 14;
  return allSeries.flatMap((s, i) => {
    const y = top + PANEL.top + 8 + i * 18;
    return [
      el('line', { x1: x, x2: x + 22, y1: y, y2: y, stroke: s.color, 'stroke-width': 2 }),
      el('text', { x: x + 28, y: y + 4 }, s.name),
    ];
  });
}

const BAND_COLORS = { fault: ['#f6d5d5', '#a33'], info: ['#ececec', '#555'] };

function shade(top, scale, band) {
  const [fill, ink] = BAND_COLORS[band.kind ?? 'fault'];
  const x = scale.x(band.from);
  const width = Math.max(1, scale.x(band.to) - x);
  return [
    el('rect', { x, y: top + PANEL.top, width, height: PLOT_HEIGHT, fill }),
    el('text', { x: x + 3, y: top + PANEL.top + 12, fill: ink }, band.label),
  ];
}

/**
 * One panel: `series` of `{ name, color, dashed?, segments: [[[x, y], ...], ...] }`, and
 * shaded `bands` `{ from, to, label, kind: 'fault' | 'info' }` on the x axis.
 */
function panel(top, { title, yLabel, xMax, series, bands }) {
  const values = series.flatMap((s) => s.segments.flat().map(([, y]) => y));
  const highest = Math.max(1, ...values) * 1.1;
  const yMax = tickStep(highest, 5) * Math.ceil(highest / tickStep(highest, 5));
  const scale = scales(top, xMax, yMax);

  return [
    ...bands.flatMap((band) => shade(top, scale, band)),
    ...frame(top, scale, { title, yLabel, xMax, yMax }),
    ...series.flatMap((s) => lines(s, scale)),
    ...legend(top, series),
  ];
}

/**
 * The SVG of a run: `throughput` and `memory` series as for a panel, over `xMax` seconds.
 *
 * @example
 * writeFileSync('load.svg', renderChart({ title, xMax: 40, throughput, memory, bands }));
 */
export function renderChart({ title, xMax, throughput, memory, bands = [] }) {
  const height = 2 * PANEL.height + 40;
  const common = { xMax, bands };
  const body = [
    el('text', { x: PANEL.left, y: 22, 'font-size': 15, 'font-weight': 'bold' }, title),
    ...panel(30, {
      ...{ ...common, series: throughput },
      ...{ title: 'Throughput (answers per second)', yLabel: 'req/s' },
    }),
    ...panel(30 + PANEL.height, {
      ...{ ...common, series: memory },
      ...{ title: 'Memory of the stack processes (MB)', yLabel: 'MB' },
    }),
  ];
  const svg = {
    xmlns: 'http://www.w3.org/2000/svg',
    ...{ width: WIDTH, height, viewBox: `0 0 ${WIDTH} ${height}` },
    ...{ 'font-family': 'system-ui, sans-serif', 'font-size': 12 },
  };
  const background = el('rect', { width: '100%', height: '100%', fill: '#fff' });

  return `${el('svg', svg).slice(0, -2)}>\n${background}\n${body.join('\n')}\n</svg>\n`;
}
