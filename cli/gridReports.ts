// The HTML reports and tables of `rnnlab compare` and `rnnlab span` (gridCommands.ts runs
// the grid): the results table beside the paper's, each cell's mean dev curve at its chosen
// rate, and the settings, from the record the grid leaves (results.json holds the same).
import { escapeXml, htmlPage, lineChart, type Series } from '../plot/svg.js';
import { namedCell, solved, type GridOptions, type GroupSummary, type JobResult } from '../experiments/index.js';
import type { Metric } from '../index.js';
import { makeTask } from '../tasks/index.js';

/** Ten colours apart, one per cell (the paper's table has ten); the baselines are dashed grey. */
const CELL_COLORS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#000080',
  '#bcbd22',
  '#17becf',
];
const colorOf = (r: GridRecord, cell: string) => CELL_COLORS[r.grid.cells.indexOf(cell) % CELL_COLORS.length];

export const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : 'NaN');
const meanSpread = (g: GroupSummary) => (g.sd === null ? fmt(g.mean) : `${fmt(g.mean)} ± ${fmt(g.sd)}`);

/** The mean dev curve over a group's seed runs at its chosen rate. */
function meanCurve(results: readonly JobResult[], g: GroupSummary): [number, number][] {
  const runs = results.filter((r) => r.cell === g.cell && r.seqLen === g.seqLen && r.lr === g.lr);
  const points = runs[0]?.curve ?? [];
  return points.map((p, q) => [p.examples, runs.reduce((s, r) => s + (r.curve[q]?.value ?? NaN), 0) / runs.length]);
}

export interface GridRecord {
  command: string;
  grid: GridOptions;
  metric: Metric;
  backend: string;
  interrupted: string | null;
  jobs: { done: number; total: number };
  groups: GroupSummary[];
  results: JobResult[];
}

function settingsTable(r: GridRecord): string {
  const g = r.grid;
  const rows: [string, string][] = [
    ['task', g.lengths.length === 1 ? `${g.task} (${makeTask(g.task, g.lengths[0]).description})` : g.task],
    ['length (--seq-len)', g.lengths.join(', ')],
    ['budget', `${g.steps} steps of ${g.batch} examples (${g.steps * g.batch} examples)`],
    ['hidden units', String(g.hiddenSize)],
    ['learning rates (Adam, seed 1)', g.lrs.join(', ')],
    ['seeds', String(g.seeds)],
    ['test set', `${g.testSize} examples, shared by every run`],
    ['backend', r.backend],
    ['runs finished', `${r.jobs.done} of ${r.jobs.total}${r.interrupted ? ` (interrupted by ${r.interrupted})` : ''}`],
  ];
  return `<table>${rows.map(([k, v]) => `<tr><th>${escapeXml(k)}</th><td>${escapeXml(v)}</td></tr>`).join('')}</table>`;
}

const htmlTable = (header: string[], rows: string[][]) =>
  `<table><tr>${header.map((h) => `<th>${escapeXml(h)}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.map((c) => `<td>${escapeXml(c)}</td>`).join('')}</tr>`).join('')}</table>`;

export function compareRows(r: GridRecord): { header: string[]; rows: string[][] } {
  const arith = r.grid.task === 'arith';
  const header = [
    'cell',
    'parameters',
    'lr',
    `test ${r.metric.name} (mean ± sd)`,
    'seeds',
    ...(arith ? ['paper (Arith)'] : []),
  ];
  const rows = r.groups.map((g) => [
    g.cell,
    String(g.parameters),
    String(g.lr),
    meanSpread(g),
    g.tests.map(fmt).join(' '),
    ...(arith ? [g.paperArith === undefined ? '' : g.paperArith.toFixed(2)] : []),
  ]);
  return { header, rows };
}

export function compareReport(r: GridRecord): string {
  const { header, rows } = compareRows(r);
  const series: Series[] = r.groups.map((g) => ({
    name: g.cell,
    points: meanCurve(r.results, g),
    color: colorOf(r, g.cell),
  }));
  const lastX = r.grid.steps * r.grid.batch;
  series.push({
    name: 'baseline',
    points: [
      [0, r.metric.baseline],
      [lastX, r.metric.baseline],
    ],
    color: '#aaa',
    dashed: true,
  });
  const chart = lineChart(series, {
    title: `Dev ${r.metric.name} while training (mean over seeds, at each cell's chosen rate)`,
    xLabel: 'training examples',
    yLabel: `dev ${r.metric.name}`,
  });
  const body = [
    settingsTable(r),
    `<h2>Results</h2>`,
    htmlTable(header, rows),
    `<p>Baseline (a model that learned nothing): ${fmt(r.metric.baseline)}. Cells: ${escapeXml(r.grid.cells.map((c) => `${c} = ${namedCell(c).summary}`).join('; '))}.</p>`,
    `<h2>Learning curves</h2>`,
    chart,
  ];
  return htmlPage(`rnnlab compare: ${r.grid.cells.join(', ')} on ${r.grid.task}`, body.join('\n'));
}

/** Per cell, the longest length it solved (every shorter one solved too is not required). */
export function longestSolved(r: GridRecord, cell: string): number | null {
  const ok = r.groups.filter((g) => g.cell === cell && solved(r.grid.task, g.mean)).map((g) => g.seqLen);
  return ok.length === 0 ? null : Math.max(...ok);
}

export function spanRows(r: GridRecord): { header: string[]; rows: string[][] } {
  const header = ['cell', ...r.grid.lengths.map((T) => `T=${T}`), 'longest solved'];
  const rows = r.grid.cells.map((cell) => [
    cell,
    ...r.grid.lengths.map((T) => {
      const g = r.groups.find((x) => x.cell === cell && x.seqLen === T);
      return g === undefined ? '' : `${fmt(g.mean)}${solved(r.grid.task, g.mean) ? ' ✓' : ''}`;
    }),
    String(longestSolved(r, cell) ?? 'none'),
  ]);
  return { header, rows };
}

export function spanReport(r: GridRecord): string {
  const { header, rows } = spanRows(r);
  const adding = r.grid.task === 'adding';
  const series: Series[] = r.grid.cells.map((cell) => ({
    name: cell,
    color: colorOf(r, cell),
    markers: true,
    points: r.groups.filter((g) => g.cell === cell).map((g): [number, number] => [g.seqLen, g.mean]),
  }));
  const [lo, hi] = [Math.min(...r.grid.lengths), Math.max(...r.grid.lengths)];
  series.push({
    name: adding ? 'solved: MSE 0.01' : 'solved: 0.99',
    points: [
      [lo, adding ? 0.01 : 0.99],
      [hi, adding ? 0.01 : 0.99],
    ],
    color: '#444',
    dashed: true,
  });
  series.push({
    name: 'baseline',
    points: [
      [lo, r.metric.baseline],
      [hi, r.metric.baseline],
    ],
    color: '#aaa',
    dashed: true,
  });
  const chart = lineChart(series, {
    title: `Test ${r.metric.name} after ${r.grid.steps} steps, against the length T`,
    xLabel: 'T (the delay or length)',
    yLabel: `test ${r.metric.name}`,
    logY: adding,
    xFromData: true,
  });
  const body = [
    settingsTable(r),
    `<h2>Memory span</h2>`,
    chart,
    htmlTable(header, rows),
    `<p>Solved means ${adding ? 'held-out MSE below 0.01' : 'copy accuracy of at least 0.99'} (mean over seeds) within the budget. Baseline: ${fmt(r.metric.baseline)}.</p>`,
  ];
  return htmlPage(`rnnlab span: ${r.grid.cells.join(', ')} on ${r.grid.task}`, body.join('\n'));
}
