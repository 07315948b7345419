// The run as a picture: throughput and memory over time, one SVG, no library. Two panels
// share the time axis (seconds since the load began); the fault is a shaded band.
const WIDTH = 960;
const PANEL = { height: 280, left: 70, right: 170, top: 36, bottom: 42 };
const FONT = 'font-family="system-ui, sans-serif" font-size="12"';

function escape(text) {
  return String(text).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A round step so that about `count` ticks cover `max`. */
function tickStep(max, count) {
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw || 1));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);

  return step ?? 10 * power;
}

function ticks(max, count) {
  const step = tickStep(max, count);
  const values = [];
  for (let v = 0; v <= max + step / 1000; v += step) values.push(Number(v.toFixed(6)));
  return values;
}

function frame(top, scale, { title, yLabel, xMax, yMax }) {
  const bottom = top + PANEL.height - PANEL.bottom;
  const yTicks = ticks(yMax, 5).map((v) => {
    const y = scale.y(v);
    return `<line x1="${PANEL.left}" x2="${WIDTH - PANEL.right}" y1="${y}" y2="${y}" stroke="#e4e4e4"/>
<text x="${PANEL.left - 6}" y="${y + 4}" text-anchor="end">${v}</text>`;
  });
  const xTicks = ticks(xMax, 10).map((v) => {
    const x = scale.x(v);
    return `<text x="${x}" y="${bottom + 16}" text-anchor="middle">${v}</text>`;
  });
  return [
    `<text x="${PANEL.left}" y="${top + 20}" font-weight="bold">${escape(title)}</text>`,
    ...yTicks,
    ...xTicks,
    `<text x="${WIDTH - PANEL.right}" y="${bottom + 32}" text-anchor="end">seconds</text>`,
    `<text x="14" y="${top + PANEL.top + 4}">${escape(yLabel)}</text>`,
    `<line x1="${PANEL.left}" x2="${PANEL.left}" y1="${top + PANEL.top}" y2="${bottom}" stroke="#888"/>`,
    `<line x1="${PANEL.left}" x2="${WIDTH - PANEL.right}" y1="${bottom}" y2="${bottom}" stroke="#888"/>`,
  ];
}

function scales(top, xMax, yMax) {
  const plotWidth = WIDTH - PANEL.left - PANEL.right;
  const plotHeight = PANEL.height - PANEL.top - PANEL.bottom;
  const bottom = top + PANEL.height - PANEL.bottom;
  const round = (n) => Math.round(n * 10) / 10;

  return {
    x: (v) => round(PANEL.left + (v / (xMax || 1)) * plotWidth),
    y: (v) => round(bottom - (v / (yMax || 1)) * plotHeight),
  };
}

function line(series, scale) {
  return series.segments
    .filter((points) => points.length > 0)
    .map((points) => {
      const d = points.map(([x, y], i) => `${i ? 'L' : 'M'}${scale.x(x)},${scale.y(y)}`).join('');
      const dash = series.dashed ? ' stroke-dasharray="5 3"' : '';
      return `<path d="${d}" fill="none" stroke="${series.color}" stroke-width="1.6"${dash}/>`;
    });
}

function legend(top, allSeries) {
  return allSeries.map((s, i) => {
    const y = top + PANEL.top + 8 + i * 18;
    const x = WIDTH - PANEL.right + 14;
    return `<line x1="${x}" x2="${x + 22}" y1="${y}" y2="${y}" stroke="${s.color}" stroke-width="2"/>
<text x="${x + 28}" y="${y + 4}">${escape(s.name)}</text>`;
  });
}

/**
 * One panel: `series` of `{ name, color, dashed?, segments: [[[x, y], ...], ...] }`, and an
 * optional shaded `band` `{ from, to, label }` on the x axis.
 */
function panel(top, { title, yLabel, xMax, series, band }) {
  const values = series.flatMap((s) => s.segments.flat().map(([, y]) => y));
  const highest = Math.max(1, ...values) * 1.1;
  const yMax = tickStep(highest, 5) * Math.ceil(highest / tickStep(highest, 5));
  const scale = scales(top, xMax, yMax);

  return [
    ...shade(top, scale, band),
    ...frame(top, scale, { title, yLabel, xMax, yMax }),
    ...series.flatMap((s) => line(s, scale)),
    ...legend(top, series),
  ];
}

function shade(top, scale, band) {
  if (!band) return [];

  const x = scale.x(band.from);
  const width = Math.max(1, scale.x(band.to) - x);
  const height = PANEL.height - PANEL.top - PANEL.bottom;
  return [
    `<rect x="${x}" y="${top + PANEL.top}" width="${width}" height="${height}" fill="#f6d5d5"/>`,
    `<text x="${x + 3}" y="${top + PANEL.top + 12}" fill="#a33">${escape(band.label)}</text>`,
  ];
}

/**
 * The SVG of a run: `throughput` and `memory` panels described as for `panel`.
 *
 * @example
 * writeFileSync('load.svg', renderChart({ title, xMax: 40, throughput, memory, band }));
 */
export function renderChart({ title, xMax, throughput, memory, band }) {
  const height = 2 * PANEL.height + 40;
  const body = [
    `<text x="${PANEL.left}" y="22" font-size="15" font-weight="bold">${escape(title)}</text>`,
    ...panel(30, { title: 'Throughput (answers per second)', yLabel: 'req/s', xMax, series: throughput, band }),
    ...panel(30 + PANEL.height, { title: 'Memory of the stack process (MB)', yLabel: 'MB', xMax, series: memory, band }),
  ];

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" ${FONT}>
<rect width="100%" height="100%" fill="#fff"/>
${body.join('\n')}
</svg>
`;
}
