// Cells compared under one budget, after Jozefowicz, Zaremba & Sutskever (2015): every cell
// trains on the same task with the same number of examples and the same seeds. A small
// learning-rate sweep per cell (seed 1) picks the rate with the best final dev figure, as
// the paper's hyperparameter search did on a larger scale; more seeds then train at that
// rate, and the figure reported is their mean and spread on a test set that no run trains
// or selects on. A memory-span sweep is the same grid over the task's length.
//
// A job is one training run, a plain object that can cross to a worker thread; its result
// depends only on the job, never on which thread ran it or when.
import { Rng, withScope } from '../core/index.js';
import { trainForAsync, type Metric } from '../train/index.js';
import { runKinds } from './registry.js';
import type { RunSettings } from './settings.js';
import { heldOutBatches, TaskRun } from './taskRun.js';

/** A row of the paper's Table 1: the cell, as settings, and the paper's Arith accuracy. */
export interface NamedCell {
  name: string;
  summary: string;
  settings: Pick<RunSettings, 'cell'> & Partial<Pick<RunSettings, 'variant' | 'forgetBias'>>;
  /** Table 1's Arith column (test accuracy), where the paper has the cell. */
  paperArith?: number;
}

export const namedCells: readonly NamedCell[] = [
  { name: 'tanh', summary: 'Elman RNN, tanh', settings: { cell: 'rnn' }, paperArith: 0.29 },
  { name: 'lstm', summary: 'LSTM, forget bias 0', settings: { cell: 'lstm', forgetBias: 0 }, paperArith: 0.89 },
  {
    name: 'lstm-f',
    summary: 'LSTM without a forget gate (f ≡ 1)',
    settings: { cell: 'lstm', variant: 'nfg' },
    paperArith: 0.29,
  },
  {
    name: 'lstm-i',
    summary: 'LSTM without an input gate (i ≡ 1)',
    settings: { cell: 'lstm', variant: 'nig', forgetBias: 0 },
    paperArith: 0.75,
  },
  {
    name: 'lstm-o',
    summary: 'LSTM without an output gate (o ≡ 1)',
    settings: { cell: 'lstm', variant: 'nog', forgetBias: 0 },
    paperArith: 0.87,
  },
  { name: 'lstm-b', summary: 'LSTM, forget bias 1', settings: { cell: 'lstm', forgetBias: 1 }, paperArith: 0.9 },
  { name: 'gru', summary: 'GRU', settings: { cell: 'gru' }, paperArith: 0.9 },
  { name: 'mut1', summary: 'MUT1', settings: { cell: 'mut1' }, paperArith: 0.92 },
  { name: 'mut2', summary: 'MUT2', settings: { cell: 'mut2' }, paperArith: 0.9 },
  { name: 'mut3', summary: 'MUT3', settings: { cell: 'mut3' }, paperArith: 0.91 },
];

export const namedCellNames: readonly string[] = namedCells.map((c) => c.name);

export function namedCell(name: string): NamedCell {
  const cell = namedCells.find((c) => c.name === name);
  if (cell === undefined) throw new Error(`compare: cell must be one of ${namedCellNames.join(', ')}, got '${name}'`);
  return cell;
}

export interface GridOptions {
  task: string;
  cells: readonly string[];
  /** The task's length parameters (T, or arith's digits): one for a comparison, several for a span. */
  lengths: readonly number[];
  /** Learning rates tried on seed 1; the best by the final dev figure trains the other seeds. */
  lrs: readonly number[];
  seeds: number;
  steps: number;
  batch: number;
  hiddenSize: number;
  /** Dev evaluations per run, for the learning curves. */
  evaluations: number;
  /** Examples in the dev set of each run and in the shared test set. */
  testSize: number;
}

export interface Job {
  key: string;
  cell: string;
  seqLen: number;
  lr: number;
  seed: number;
  settings: RunSettings;
}

export interface JobResult {
  key: string;
  cell: string;
  seqLen: number;
  lr: number;
  seed: number;
  parameters: number;
  /** The dev figure against examples seen. */
  curve: { examples: number; value: number }[];
  /** The final dev figure (NaN when a NaN or infinity stopped the run). */
  dev: number;
  test: number;
  seconds: number;
}

/** Which group (a cell at a length) a job belongs to. */
export const groupKey = (cell: string, seqLen: number) => `${cell} @ ${seqLen}`;

function job(o: GridOptions, cell: string, seqLen: number, lr: number, seed: number): Job {
  const defaults = runKinds[o.task].defaults;
  const settings: RunSettings = {
    ...defaults,
    ...namedCell(cell).settings,
    task: o.task,
    hiddenSize: o.hiddenSize,
    batch: o.batch,
    lr,
    seed,
    steps: o.steps,
    evalEvery: Math.max(1, Math.floor(o.steps / o.evaluations)),
    seqLen,
    testSize: o.testSize,
  };
  return { key: `${groupKey(cell, seqLen)}, lr ${lr}, seed ${seed}`, cell, seqLen, lr, seed, settings };
}

/** Runs the whole grid holds: each cell at each length, once per rate and once per further seed. */
export function jobCount(o: GridOptions): number {
  return o.cells.length * o.lengths.length * (o.lrs.length + o.seeds - 1);
}

/** The learning-rate sweep: every cell at every length and rate, seed 1. */
export function sweepJobs(o: GridOptions): Job[] {
  return o.cells.flatMap((cell) => o.lengths.flatMap((T) => o.lrs.map((lr) => job(o, cell, T, lr, 1))));
}

/** Seeds 2… of one group, at the rate its sweep chose. */
export function seedJobs(o: GridOptions, cell: string, seqLen: number, lr: number): Job[] {
  return Array.from({ length: o.seeds - 1 }, (_, k) => job(o, cell, seqLen, lr, k + 2));
}

/**
 * The rate whose seed-1 run ended best on dev; a run stopped by a NaN never wins. A tie goes
 * to the lowest rate (so does a sweep with no finite run), whatever order the runs finished in.
 */
export function bestRate(sweep: readonly JobResult[], metric: Metric): number {
  const byRate = [...sweep].sort((a, b) => a.lr - b.lr);
  const finite = byRate.filter((r) => Number.isFinite(r.dev));
  if (finite.length === 0) return byRate[0].lr;
  const better = (a: JobResult, b: JobResult) => ((metric.higherIsBetter ? b.dev > a.dev : b.dev < a.dev) ? b : a);
  return finite.reduce(better).lr;
}

/** Seed of the shared test set: no run draws from it (runs use seed, seed + 1, seed + 2 and seed + 1,000,003). */
const TEST_SEED = 31_415_927;

/**
 * Train one job to its step budget and measure it. Asynchronous so that the event loop
 * turns while it trains: the WebAssembly backend takes its transient buffers back then.
 */
export async function runJob(job: Job, onStep?: (step: number) => void): Promise<JobResult> {
  const started = Date.now();
  const run = new TaskRun(job.settings);
  const result = await trainForAsync(run, {
    steps: job.settings.steps ?? 0,
    evalEvery: job.settings.evalEvery,
    onStep: () => onStep?.(run.step),
  });
  const stopped = result.stoppedBy === 'non-finite';
  const last = result.curve.at(-1);
  return {
    key: job.key,
    cell: job.cell,
    seqLen: job.seqLen,
    lr: job.lr,
    seed: job.seed,
    parameters: run.model.parameterCount(),
    curve: result.curve.map((p) => ({ examples: p.examples, value: p.value })),
    dev: stopped || last === undefined ? NaN : last.value,
    // The test set every run of this task and length is measured on.
    test: stopped
      ? NaN
      : withScope(() => run.measure(heldOutBatches(run.task, new Rng(TEST_SEED), job.settings.testSize!))),
    seconds: (Date.now() - started) / 1000,
  };
}

export interface GroupSummary {
  cell: string;
  seqLen: number;
  lr: number;
  parameters: number;
  /** The test figure of each seed run at the chosen rate, by seed. */
  tests: number[];
  mean: number;
  /** Sample standard deviation over seeds; null for one seed, which has no spread to measure. */
  sd: number | null;
  /** Table 1's Arith figure for the cell: on the arith task only, the one it was measured on. */
  paperArith?: number;
}

/** Each finished group (its sweep done): the chosen rate and its seeds' test figures. */
export function summarize(o: GridOptions, results: readonly JobResult[], metric: Metric): GroupSummary[] {
  const out: GroupSummary[] = [];
  for (const cell of o.cells) {
    for (const T of o.lengths) {
      const mine = results.filter((r) => r.cell === cell && r.seqLen === T);
      const sweep = mine.filter((r) => r.seed === 1);
      if (sweep.length < o.lrs.length) continue;
      const lr = bestRate(sweep, metric);
      const chosen = mine.filter((r) => r.lr === lr).sort((a, b) => a.seed - b.seed);
      const tests = chosen.map((r) => r.test);
      const mean = tests.reduce((s, v) => s + v, 0) / tests.length;
      const sd =
        tests.length < 2 ? null : Math.sqrt(tests.reduce((s, v) => s + (v - mean) ** 2, 0) / (tests.length - 1));
      const paper = o.task === 'arith' ? { paperArith: namedCell(cell).paperArith } : {};
      out.push({ cell, seqLen: T, lr, parameters: chosen[0].parameters, tests, mean, sd, ...paper });
    }
  }
  return out;
}

/** Did a group solve its task: copy accuracy ≥ 0.99, adding MSE < 0.01 (its mean over seeds)? */
export function solved(task: string, mean: number): boolean {
  if (task === 'adding') return mean < 0.01;
  return mean >= 0.99;
}
