// Small SVG charts written by hand (no dependency): line charts with linear or logarithmic
// y axes, and histograms. Every chart is a standalone <svg> element that an HTML page can
// embed as it is.

export interface Series {
  name: string;
  points: readonly (readonly [number, number])[];
  color?: string;
  dashed?: boolean;
  /** Mark every point with a dot: the measured points of a series with few of them. */
  markers?: boolean;
  /** Only dots, no line: measurements over a line drawn from other data. */
  dotsOnly?: boolean;
  /** A thin, pale line: raw values under a smoothed curve of them. */
  faint?: boolean;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  logY?: boolean;
  /** Let the x axis start at the data (default: at 0, as examples seen or steps do). */
  xFromData?: boolean;
  /** A fixed y range (an accuracy's [0, 1]), widened if the data leave it; default: the data's. */
  yRange?: [number, number];
  width?: number;
  height?: number;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#17becf'];

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Whether values read better on a log axis: all positive, the largest more than ten times the smallest. */
export function spansDecades(values: readonly number[]): boolean {
  const finite = values.filter((v) => Number.isFinite(v));
  return finite.length > 1 && finite.every((v) => v > 0) && Math.max(...finite) / Math.min(...finite) > 10;
}

/** Round tick values: 1, 2, 5 × 10^k spanning [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count,
    mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * mag).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/**
 * Ticks on a log axis spanning log10 values lo..hi: every decade, or every 2nd, 5th, 10th, …
 * decade when there are many (at most 9 labels); within a span of under three decades, also
 * 2 and 5 times each power of ten, so that a short axis has more than one or two labels.
 */
export function logTicks(lo: number, hi: number): number[] {
  const first = Math.ceil(lo),
    last = Math.floor(hi),
    decades = last - first + 1;
  const stride = [1, 2, 5, 10, 20, 50, 100, 200, 500].find((k) => decades / k <= 9) ?? Math.ceil(decades / 9);
  const powers = Array.from({ length: Math.max(0, decades) }, (_, q) => first + q).filter((e) => e % stride === 0);
  if (hi - lo >= 3) return powers.map((e) => 10 ** e);
  const ticks: number[] = [];
  for (let e = Math.floor(lo); e <= Math.ceil(hi); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e,
        l = Math.log10(v);
      if (l >= lo && l <= hi) ticks.push(Number(v.toPrecision(12)));
    }
  }
  return ticks;
}

/** A tick label: 150k, 2.5M, 0.25, 1e-6 (never a rounded exponent that reads as another number). */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v),
    short = (x: number) => String(Number(x.toPrecision(3)));
  if (a >= 1e6) return `${short(v / 1e6)}M`;
  if (a >= 1e4) return `${short(v / 1e3)}k`;
  if (a < 1e-3) return Number(v.toPrecision(2)).toExponential();
  return String(Number(v.toPrecision(4)));
}

export function lineChart(series: readonly Series[], options: LineChartOptions): string {
  const longest = Math.max(0, ...series.map((x) => x.name.length));
  const left = 70,
    right = 50 + Math.ceil(longest * 6.6),
    top = 36,
    bottom = 50;
  const width = (options.width ?? 640) + Math.max(0, right - 150),
    height = options.height ?? 360;
  const plotW = width - left - right,
    plotH = height - top - bottom;
  const usable = series.map((s) => ({
    ...s,
    points: s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!options.logY || y > 0)),
  }));
  const all = usable.flatMap((s) => s.points);
  const xs = all.map((p) => p[0]),
    ys = all.map((p) => (options.logY ? Math.log10(p[1]) : p[1]));
  let xMin = options.xFromData ? Math.min(...xs) : Math.min(...xs, 0),
    xMax = Math.max(...xs, 1);
  if (options.xFromData && xs.length > 0) {
    const pad = 0.04 * (xMax - xMin || 1);
    [xMin, xMax] = [xMin - pad, xMax + pad];
  }
  let yMin = Math.min(...ys),
    yMax = Math.max(...ys);
  if (!Number.isFinite(yMin)) [yMin, yMax] = [0, 1];
  if (options.yRange !== undefined && !options.logY)
    [yMin, yMax] = [Math.min(yMin, options.yRange[0]), Math.max(yMax, options.yRange[1])];
  if (yMax === yMin) [yMin, yMax] = [yMin - 1, yMax + 1];
  // A margin of 5% above and below, so that no line runs along the frame.
  const pad = 0.05 * (yMax - yMin);
  [yMin, yMax] = [yMin - pad, yMax + pad];
  const X = (x: number) => left + ((x - xMin) / (xMax - xMin || 1)) * plotW;
  const Y = (y: number) => top + (1 - ((options.logY ? Math.log10(y) : y) - yMin) / (yMax - yMin)) * plotH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(options.title)}</title>`,
    `<text x="${left}" y="20" font-size="14" font-weight="bold">${escapeXml(options.title)}</text>`,
    `<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
  ];
  for (const t of niceTicks(xMin, xMax)) {
    out.push(
      `<line x1="${X(t).toFixed(1)}" y1="${top + plotH}" x2="${X(t).toFixed(1)}" y2="${top + plotH + 5}" stroke="#999"/>`,
    );
    out.push(`<text x="${X(t).toFixed(1)}" y="${top + plotH + 18}" text-anchor="middle">${formatTick(t)}</text>`);
  }
  const yTicks = options.logY ? logTicks(yMin, yMax) : niceTicks(yMin, yMax);
  for (const t of yTicks) {
    const y = Y(t).toFixed(1);
    out.push(`<line x1="${left - 5}" y1="${y}" x2="${left + plotW}" y2="${y}" stroke="#eee"/>`);
    out.push(`<text x="${left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${formatTick(t)}</text>`);
  }
  out.push(`<text x="${left + plotW / 2}" y="${height - 10}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`);
  out.push(
    `<text transform="translate(16 ${top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}${options.logY ? ' (log scale)' : ''}</text>`,
  );
  usable.forEach((s, q) => {
    const color = s.color ?? PALETTE[q % PALETTE.length];
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    const points = s.points.map(([x, y]) => `${X(x).toFixed(1)},${Y(y).toFixed(1)}`).join(' ');
    const stroke = s.faint ? 'stroke-width="1" stroke-opacity="0.35"' : 'stroke-width="2"';
    if (!s.dotsOnly)
      out.push(
        `<polyline data-series="${escapeXml(s.name)}" fill="none" stroke="${color}" ${stroke}${dash} points="${points}"/>`,
      );
    // A series of one point (a run evaluated once) is a dot, not an invisible line.
    if (s.markers || s.dotsOnly || s.points.length === 1) {
      for (const [x, y] of s.points)
        out.push(
          `<circle data-series="${escapeXml(s.name)}" cx="${X(x).toFixed(1)}" cy="${Y(y).toFixed(1)}" r="4" fill="${color}"/>`,
        );
    }
    const ly = top + 10 + q * 18;
    out.push(
      s.dotsOnly
        ? `<circle cx="${left + plotW + 22}" cy="${ly}" r="4" fill="${color}"/>`
        : `<line x1="${left + plotW + 12}" y1="${ly}" x2="${left + plotW + 32}" y2="${ly}" stroke="${color}" ${stroke}${dash}/>`,
    );
    out.push(`<text x="${left + plotW + 38}" y="${ly}" dominant-baseline="middle">${escapeXml(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}

export interface HistogramOptions {
  title: string;
  xLabel: string;
  /** The y axis: the share of all values in each bin. */
  yLabel?: string;
  bins?: number;
  range?: [number, number];
  width?: number;
  height?: number;
  color?: string;
}

/** Counts of values in equal bins over the range: an SVG bar chart. */
export function histogram(values: ArrayLike<number>, options: HistogramOptions): string {
  const bins = options.bins ?? 20,
    [lo, hi] = options.range ?? [0, 1];
  const counts = new Array<number>(bins).fill(0);
  for (let q = 0; q < values.length; q++) {
    const v = values[q];
    if (!(v >= lo && v <= hi)) continue;
    counts[Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo)) * bins))]++;
  }
  const width = options.width ?? 320,
    height = options.height ?? 200;
  const left = 58,
    top = 30,
    bottom = 36,
    plotW = width - left - 10,
    plotH = height - top - bottom;
  const max = Math.max(1, ...counts),
    total = Math.max(
      1,
      counts.reduce((a, b) => a + b, 0),
    );
  const yTicks = niceTicks(0, max / total, 3).map((share) => {
    const y = (top + plotH - ((share * total) / max) * plotH).toFixed(1);
    return `<line x1="${left - 4}" y1="${y}" x2="${left}" y2="${y}" stroke="#999"/><text x="${left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${formatTick(share)}</text>`;
  });
  const bars = counts.map((c, q) => {
    const h = (c / max) * plotH,
      x = left + (q * plotW) / bins;
    return `<rect data-bin="${q}" data-count="${c}" x="${x.toFixed(1)}" y="${(top + plotH - h).toFixed(1)}" width="${(plotW / bins - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${options.color ?? PALETTE[0]}"/>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(options.title)}</title>`,
    `<text x="${left}" y="16" font-size="13" font-weight="bold">${escapeXml(options.title)}</text>`,
    ...bars,
    `<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" stroke="#999"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#999"/>`,
    ...yTicks,
    `<text transform="translate(12 ${top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel ?? 'share of values')}</text>`,
    `<text x="${left}" y="${top + plotH + 14}" text-anchor="middle">${formatTick(lo)}</text>`,
    `<text x="${left + plotW}" y="${top + plotH + 14}" text-anchor="middle">${formatTick(hi)}</text>`,
    `<text x="${left + plotW / 2}" y="${height - 6}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    '</svg>',
  ].join('\n');
}

export interface ScatterOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  /** Both axes run over [0, 1] unless told. */
  range?: [number, number];
  size?: number;
  color?: string;
}

/** Points in a square over the same range on both axes (fractions, say): an SVG scatter plot. */
export function scatterChart(
  points: readonly { x: number; y: number; label: string }[],
  options: ScatterOptions,
): string {
  const [lo, hi] = options.range ?? [0, 1],
    size = options.size ?? 220;
  const left = 46,
    top = 28,
    plot = size - left - 14,
    height = top + plot + 40;
  const X = (v: number) => left + ((v - lo) / (hi - lo)) * plot,
    Y = (v: number) => top + (1 - (v - lo) / (hi - lo)) * plot;
  const ticks = niceTicks(lo, hi, 2);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${height}" viewBox="0 0 ${size} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(options.title)}</title>`,
    `<text x="${left}" y="16" font-size="13" font-weight="bold">${escapeXml(options.title)}</text>`,
    `<rect x="${left}" y="${top}" width="${plot}" height="${plot}" fill="none" stroke="#999"/>`,
    ...ticks.flatMap((t) => [
      `<text x="${X(t).toFixed(1)}" y="${top + plot + 14}" text-anchor="middle">${formatTick(t)}</text>`,
      `<text x="${left - 6}" y="${Y(t).toFixed(1)}" text-anchor="end" dominant-baseline="middle">${formatTick(t)}</text>`,
    ]),
    ...points.map(
      (p) =>
        `<circle data-label="${escapeXml(p.label)}" cx="${X(p.x).toFixed(1)}" cy="${Y(p.y).toFixed(1)}" r="3" fill="${options.color ?? PALETTE[0]}" fill-opacity="0.6"><title>${escapeXml(p.label)}</title></circle>`,
    ),
    `<text x="${left + plot / 2}" y="${height - 8}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    `<text transform="translate(12 ${top + plot / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`,
    '</svg>',
  ].join('\n');
}

/** A minimal HTML page around body content. */
export function htmlPage(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeXml(title)}</title>`,
    '<style>body{font-family:sans-serif;max-width:980px;margin:2em auto;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}pre{background:#f6f6f6;padding:8px;white-space:pre-wrap}</style>',
    '</head><body>',
    `<h1>${escapeXml(title)}</h1>`,
    body,
    '</body></html>',
  ].join('\n');
}
