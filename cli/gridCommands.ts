// `rnnlab compare` (cells side by side on one task, Jozefowicz et al. 2015's Table 1) and
// `rnnlab span` (the longest length each cell solves): both run a grid of training jobs
// (experiments/compare.ts) on worker threads, print a line per finished job, and write a
// run folder with results.json and report.html. Ctrl-C keeps what has finished.
import { join } from 'node:path';
import { makeTask, taskNames } from '../tasks/index.js';
import {
  completeSettings,
  createRun,
  jobCount,
  namedCell,
  namedCellNames,
  runKinds,
  summarize,
  sweepJobs,
  type GridOptions,
} from '../experiments/index.js';
import { getBackend, writeFileAtomic } from '../index.js';
import {
  compareReport,
  compareRows,
  fmt,
  longestSolved,
  spanReport,
  spanRows,
  type GridRecord,
} from './gridReports.js';
import { UsageError, type OptionSpecs, type ParsedOptions } from './args.js';
import { commonOptions, type Command } from './command.js';
import { runGrid } from './gridPool.js';
import { Progress } from './progress.js';
import { checkRunsRoot, makeRunFolder } from './runFolder.js';
import { formatTable } from './table.js';
import { inFlagWords, type SettingFlags } from './settingsFlags.js';

const gridTasks = taskNames.filter((t) => t !== 'order');

function gridOptionSpecs(defaults: {
  cells: readonly string[];
  lrs: readonly number[];
  seeds: number;
  steps: number;
  hidden: number;
}): OptionSpecs {
  return {
    cells: {
      type: 'strings',
      choices: namedCellNames,
      default: defaults.cells,
      help: `cells, comma-separated: ${namedCellNames.map((c) => `${c} = ${namedCell(c).summary}`).join('; ')} (train --cell lstm starts with forget bias 1, as lstm-b here)`,
    },
    lrs: {
      type: 'reals',
      min: 0,
      exclusiveMin: true,
      help: "Adam's learning rates tried on seed 1, comma-separated; the best on dev trains the other seeds",
      default: defaults.lrs,
    },
    seeds: { type: 'integer', min: 1, help: 'seeds per cell (1, 2, …)', default: defaults.seeds },
    steps: {
      type: 'integer',
      min: 1,
      help: 'training steps per run: the budget, the same for every cell',
      default: defaults.steps,
    },
    batch: { type: 'integer', min: 1, help: 'examples per step', default: 64 },
    hidden: { type: 'integer', min: 1, help: 'hidden units of every cell', default: defaults.hidden },
    'test-size': {
      type: 'integer',
      min: 1,
      help: 'examples in each dev set and in the shared test set',
      default: 1024,
    },
    workers: { type: 'integer', min: 1, max: 64, help: 'runs trained at once, each on its own thread', default: 2 },
    runs: { type: 'string', help: 'folder for the run folder', default: 'runs' },
    ...commonOptions,
  };
}

/**
 * The grid the flags describe (each flag's range is checked by the parser), with every run's
 * settings checked here, before any training, as the runs will check them.
 */
function gridFrom(command: string, task: string, options: ParsedOptions, lengths: number[]): GridOptions {
  const grid: GridOptions = {
    task,
    cells: [...(options.cells as string[])],
    lengths,
    lrs: [...(options.lrs as number[])],
    seeds: options.seeds as number,
    steps: options.steps as number,
    batch: options.batch as number,
    hiddenSize: options.hidden as number,
    evaluations: 10,
    testSize: options['test-size'] as number,
  };
  const flags: SettingFlags = {
    cell: 'cells',
    hiddenSize: 'hidden',
    seqLen: command === 'span' ? 'lengths' : 'seq-len',
    batch: 'batch',
    steps: 'steps',
    testSize: 'test-size',
    lr: 'lrs',
  };
  const longest = Math.max(...lengths);
  for (const job of sweepJobs(grid)) {
    try {
      completeSettings(job.settings);
      // One run per cell, at the longest length, built here too: a model too large to allocate is named before any worker starts.
      if (job.seqLen === longest && job.lr === grid.lrs[0]) createRun(job.settings);
    } catch (err) {
      throw inFlagWords(command, err, flags, [
        ['hidden', options.hidden],
        ['batch', options.batch],
        ['test-size', options['test-size']],
      ]);
    }
  }
  return grid;
}

/** Run the grid with a line per finished job; write results.json and report.html; the record. */
async function runAndRecord(
  command: string,
  grid: GridOptions,
  options: ParsedOptions,
  report: (r: GridRecord) => string,
): Promise<{ record: GridRecord; folder: string }> {
  const metric = makeTask(grid.task, grid.lengths[0]).metric;
  // The run folder first, named by the time the grid started; a root that cannot hold it is a
  // usage error before any training.
  checkRunsRoot(command, options.runs as string);
  const folder = makeRunFolder(options.runs as string, `${command}-${grid.task}`);
  const started = Date.now();
  const runs = jobCount(grid);
  const progress = new Progress(command, runs * grid.steps, 0);
  const outcome = await runGrid(grid, metric, options.workers as number, {
    onSteps: (done) => progress.update(done, `steps over ${runs} runs`),
    onResult: (r, done, total) => {
      progress.done();
      const elapsed = (Date.now() - started) / 1000;
      console.log(
        `[${done}/${total}] ${r.key}: dev ${fmt(r.dev)}, test ${fmt(r.test)} (${r.seconds.toFixed(0)} s; ${Math.round(elapsed)} s in)`,
      );
    },
  });
  const record: GridRecord = {
    command,
    grid,
    metric,
    backend: getBackend(),
    interrupted: outcome.interrupted,
    jobs: { done: outcome.results.length, total: outcome.total },
    groups: summarize(grid, outcome.results, metric),
    results: outcome.results,
  };
  writeFileAtomic(join(folder, 'results.json'), JSON.stringify(record, null, 1));
  writeFileAtomic(join(folder, 'report.html'), report(record));
  if (outcome.interrupted !== null)
    console.log(
      `interrupted by ${outcome.interrupted}: kept the ${outcome.results.length} of ${outcome.total} runs that had finished`,
    );
  if (outcome.error !== undefined) {
    console.log(
      `stopped by an error; kept the ${outcome.results.length} of ${outcome.total} runs that had finished in ${folder}`,
    );
    throw outcome.error;
  }
  return { record, folder };
}

function taskOf(command: string, options: ParsedOptions, allowed: readonly string[]): string {
  const task = options.task as string;
  if (!allowed.includes(task))
    throw new UsageError(`${command}: --task must be one of ${allowed.join(', ')}, got '${task}'`, '--task');
  return task;
}

export const compareCommand: Command = {
  name: 'compare',
  summary:
    'train several cells on one task under one budget and seeds, with a learning-rate sweep each (Jozefowicz et al. 2015)',
  usage: '[--task NAME --cells LIST --seq-len N --lrs LIST --seeds N --steps N --hidden N --workers N --json]',
  options: {
    task: { type: 'string', help: 'the task', choices: gridTasks, default: 'arith' },
    'seq-len': { type: 'integer', min: 1, help: "the task's length: T, or arith's digits (the task's default)" },
    ...gridOptionSpecs({ cells: namedCellNames, lrs: [0.005, 0.01, 0.02], seeds: 3, steps: 6000, hidden: 64 }),
  },
  async run(options) {
    const task = taskOf('compare', options, gridTasks);
    const seqLen = (options['seq-len'] as number | undefined) ?? runKinds[task].defaults.seqLen!;
    const grid = gridFrom('compare', task, options, [seqLen]);
    const { record, folder } = await runAndRecord('compare', grid, options, compareReport);
    const { header, rows } = compareRows(record);
    console.log(formatTable(header, rows));
    console.log(`baseline ${fmt(record.metric.baseline)}`);
    console.log(`report ${join(folder, 'report.html')}`);
    if (options.json)
      console.log(
        JSON.stringify({
          task,
          seqLen,
          metric: record.metric,
          interrupted: record.interrupted,
          jobs: record.jobs,
          groups: record.groups,
          folder,
        }),
      );
    return record.interrupted === null ? 0 : 130;
  },
};

export const spanCommand: Command = {
  name: 'span',
  summary: 'the longest delay or length each cell solves within a budget: copy accuracy ≥ 0.99, adding MSE < 0.01',
  usage:
    '[--task copy|adding --cells LIST --lengths LIST --lrs LIST --seeds N --steps N --hidden N --workers N --json]',
  options: {
    task: { type: 'string', help: 'the task', choices: ['copy', 'adding'], default: 'copy' },
    lengths: { type: 'integers', min: 2, help: 'the delays or lengths T, comma-separated', default: [5, 10, 20, 40] },
    ...gridOptionSpecs({ cells: ['tanh', 'lstm', 'lstm-b', 'gru'], lrs: [0.01], seeds: 1, steps: 1500, hidden: 64 }),
  },
  async run(options) {
    const task = taskOf('span', options, ['copy', 'adding']);
    const lengths = [...(options.lengths as number[])].sort((a, b) => a - b);
    const grid = gridFrom('span', task, options, lengths);
    const { record, folder } = await runAndRecord('span', grid, options, spanReport);
    const { header, rows } = spanRows(record);
    console.log(formatTable(header, rows));
    console.log(`report ${join(folder, 'report.html')}`);
    if (options.json) {
      const longest = Object.fromEntries(grid.cells.map((c) => [c, longestSolved(record, c)]));
      console.log(
        JSON.stringify({
          task,
          metric: record.metric,
          interrupted: record.interrupted,
          jobs: record.jobs,
          groups: record.groups,
          longest,
          folder,
        }),
      );
    }
    return record.interrupted === null ? 0 : 130;
  },
};
