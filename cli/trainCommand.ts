// `rnnlab train --task NAME --cell NAME ...`: train on a classic memory task (adding, copy,
// order, arith, xml) or on the Brown corpus (pos, genre, chars). Every run writes a folder
// under --runs with the model, the curve and report.html; Ctrl-C stops it, saving first.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cellKinds, type CellKind } from '../index.js';
import { optimizerNames, type OptimizerName } from '../train/optimizers.js';
import { defaultRunConfig, TaskRun, type RunConfig } from '../experiments/taskRun.js';
import { taskNames } from '../tasks/index.js';
import { readCheckpointInfo } from '../train/checkpoint.js';
import { brownDefaults, CharsRun, GenreRun, PosRun, type BrownConfig } from '../experiments/brownRuns.js';
import { trainForAsync, type LoopResult, type Trainable } from '../train/loop.js';
import { UsageError, type ParsedOptions } from './args.js';
import { commonOptions, type Command } from './command.js';
import { Progress } from './progress.js';
import { reportHtml } from './report.js';
import { charsSections } from './charsReport.js';

const brownTasks = ['pos', 'genre', 'chars'] as const;
const allTasks = [...taskNames, ...brownTasks];

/** A new run folder named by the time, the task and the cell (-2, -3, … when runs start in the same second). */
function runFolder(root: string, task: string, cell: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  mkdirSync(root, { recursive: true });
  for (let n = 1; ; n++) {
    const dir = join(root, `${stamp}-${task}-${cell}${n === 1 ? '' : `-${n}`}`);
    try {
      mkdirSync(dir);
      return dir;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

function build(options: ParsedOptions): { run: Trainable; steps: number; minutes: number; evalEvery: number } {
  const int = (name: string, min: number, fallback?: number): number => {
    const v = (options[name] ?? fallback) as number;
    if (v === Infinity && options[name] === undefined) return v;
    if (!Number.isInteger(v) || v < min) throw new UsageError(`train: --${name} must be an integer ≥ ${min}, got ${v}`);
    return v;
  };
  const num = (name: string, fallback: number): number => (options[name] ?? fallback) as number;
  if (options.resume !== undefined) {
    const path = options.resume as string;
    const { config } = readCheckpointInfo(path) as { config: { task: string; model?: Record<string, unknown> } & Record<string, unknown> };
    const task = config?.task;
    if ((brownTasks as readonly string[]).includes(task)) {
      const c = config as unknown as BrownConfig & { model: { vocabulary?: never; words?: string[]; alphabet?: string } };
      const d = brownDefaults[c.task];
      const run = c.task === 'pos' ? new PosRun(c, c.model.vocabulary) : c.task === 'genre' ? new GenreRun(c, c.model.words) : new CharsRun(c, c.model.alphabet);
      run.load(path);
      return { run, steps: int('steps', 1, d.steps), minutes: num('minutes', d.minutes), evalEvery: int('eval-every', 0, d.evalEvery) };
    }
    const run = TaskRun.resume(path, options.steps === undefined ? {} : { steps: int('steps', 1) });
    return { run, steps: run.config.steps, minutes: num('minutes', 0), evalEvery: run.config.evalEvery };
  }
  if (options.task === undefined) throw new UsageError(`train: --task is required (${allTasks.join(', ')})`);
  const task = options.task as string;
  if ((brownTasks as readonly string[]).includes(task)) {
    const d = brownDefaults[task as BrownConfig['task']];
    const config: BrownConfig = {
      task: task as BrownConfig['task'],
      tagset: (options.tagset as BrownConfig['tagset'] | undefined) ?? d.tagset,
      cell: (options.cell as CellKind | undefined) ?? d.cell,
      hidden: int('hidden', 1, d.hidden), layers: int('layers', 1, d.layers),
      bidirectional: task === 'pos' ? !options.unidirectional : Boolean(options.bidirectional),
      batch: int('batch', 1, d.batch), lr: num('lr', d.lr), optimizer: (options.optimizer as OptimizerName | undefined) ?? d.optimizer,
      clip: num('clip', d.clip), seed: int('seed', 0, d.seed),
    };
    const run = task === 'pos' ? new PosRun(config) : task === 'genre' ? new GenreRun(config) : new CharsRun(config);
    return { run, steps: int('steps', 1, d.steps), minutes: num('minutes', d.minutes), evalEvery: int('eval-every', 0, d.evalEvery) };
  }
  if (options.cell === undefined) throw new UsageError(`train: --cell is required (${cellKinds.join(', ')})`);
  const d = defaultRunConfig;
  const config: RunConfig = {
    ...d, task, cell: options.cell as CellKind,
    seqLen: options['seq-len'] === undefined ? undefined : int('seq-len', 1),
    hidden: int('hidden', 1, d.hidden), layers: int('layers', 1, d.layers), bidirectional: Boolean(options.bidirectional),
    batch: int('batch', 1, d.batch), steps: int('steps', 1, d.steps), lr: num('lr', d.lr),
    optimizer: (options.optimizer as OptimizerName | undefined) ?? d.optimizer, clip: num('clip', d.clip), seed: int('seed', 0, d.seed),
    evalEvery: int('eval-every', 0, d.evalEvery),
  };
  return { run: new TaskRun(config), steps: config.steps, minutes: num('minutes', 0), evalEvery: config.evalEvery };
}

export const trainCommand: Command = {
  name: 'train',
  summary: `train a recurrent network: memory tasks (${taskNames.join(', ')}) or the Brown corpus (pos, genre, chars)`,
  usage: '--task NAME [--cell NAME --seq-len N --hidden N --layers N --bidirectional --batch N --steps N --minutes M --lr X --optimizer NAME --clip X --seed N --save FILE --resume FILE --json]',
  options: {
    task: { type: 'string', help: 'the task', choices: allTasks },
    cell: { type: 'string', help: 'the recurrent cell (required for the memory tasks; lstm for the Brown tasks)', choices: cellKinds },
    'seq-len': { type: 'number', help: "a memory task's length: T (adding 50, copy 20, order 60, xml 60) or arith's digits (3)" },
    tagset: { type: 'string', help: 'pos: the tags to predict', choices: ['universal', 'brown'] },
    hidden: { type: 'number', help: 'hidden units per layer and direction (memory tasks 32, pos 64, genre 64, chars 64)' },
    layers: { type: 'number', help: 'stacked layers (1)' },
    bidirectional: { type: 'flag', help: 'run each layer in both directions (pos always does, unless --unidirectional)' },
    unidirectional: { type: 'flag', help: 'pos: read each sentence left to right only' },
    batch: { type: 'number', help: 'sequences (sentences, chunks) per step (64 memory tasks, 32 Brown)' },
    steps: { type: 'number', help: 'training steps in all, counting a resumed run\'s (memory 1000, pos 1200, genre 1500; chars: no limit but time)' },
    minutes: { type: 'number', help: 'stop after this many minutes (chars: 1; 0: no limit)' },
    lr: { type: 'number', help: 'learning rate (memory 0.01, pos 0.005, genre 0.003, chars 0.01)' },
    optimizer: { type: 'string', help: 'optimizer (adam)', choices: optimizerNames },
    clip: { type: 'number', help: 'clip the global gradient norm to this, 0 for no clipping (memory 1, Brown 5)' },
    seed: { type: 'number', help: 'seed of the initialisation and the data (1)' },
    'eval-every': { type: 'number', help: 'evaluate on held-out data every N steps' },
    runs: { type: 'string', help: 'folder for the run folders', default: 'runs' },
    save: { type: 'string', help: 'also write the checkpoint here (it always goes to the run folder)' },
    resume: { type: 'string', help: 'continue the run saved in this checkpoint (its settings are kept; --steps may extend it)' },
    ...commonOptions,
  },
  async run(options) {
    const { run, steps, minutes, evalEvery } = build(options);
    const config = (run as unknown as { config: Record<string, unknown> }).config;
    const dir = runFolder(options.runs as string, String(config.task), String(config.cell));
    console.log(run.title);
    console.log(Object.entries(config).map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : v}`).join(', '));
    console.log(`${run.metric.name} baseline ${run.metric.baseline.toFixed(4)} (${run.metric.higherIsBetter ? 'higher' : 'lower'} is better)`);
    let interrupted = false;
    const onSigint = () => {
      interrupted = true;
    };
    process.on('SIGINT', onSigint);
    const progress = new Progress(String(config.task), Number.isFinite(steps) ? steps : 0, minutes * 60);
    const started = Date.now(), first = run.step;
    let result: LoopResult;
    try {
      result = await trainForAsync(run, {
        steps, seconds: minutes * 60, evalEvery, shouldStop: () => interrupted,
        onStep: (r) => progress.update(run.step, r.loss),
        onEvaluation: (p) => {
          progress.done();
          const ms = (Date.now() - started) / Math.max(1, p.step - first);
          console.log(`step ${p.step}  examples ${p.examples}  train loss ${p.trainLoss.toFixed(4)}  dev loss ${p.devLoss.toFixed(4)}  dev ${run.metric.name} ${p.value.toFixed(4)}  ${ms.toFixed(1)} ms/step`);
        },
      });
    } finally {
      process.off('SIGINT', onSigint);
    }
    const modelPath = join(dir, 'model.safetensors');
    run.save(modelPath);
    if (options.save !== undefined) run.save(options.save as string);
    if (result.stoppedBy === 'request') console.log(`interrupted: saved the run at step ${run.step} to ${modelPath}`);
    const last = result.curve.at(-1)!;
    const testValue = 'test' in run ? (run as { test(): number }).test() : last.value;
    const held = 'test' in run ? 'test' : 'held-out';
    console.log(`final ${held} ${run.metric.name} ${testValue.toFixed(4)} after ${run.step} steps (baseline ${run.metric.baseline.toFixed(4)})`);
    const sections = run instanceof CharsRun ? charsSections(run) : [];
    for (const s of sections) if (s.text !== undefined) console.log(s.text);
    writeFileSync(join(dir, 'curve.json'), JSON.stringify(result.curve));
    writeFileSync(join(dir, 'report.html'), reportHtml({
      title: run.title, settings: { ...config, steps: run.step }, curve: result.curve, metric: run.metric.name,
      results: [[`${held} ${run.metric.name}`, testValue.toFixed(4)], ['baseline', run.metric.baseline.toFixed(4)], ['steps', String(run.step)], ['examples', String(run.step * run.examplesPerStep)], ['stopped by', result.stoppedBy]],
      sections,
    }));
    console.log(`model ${modelPath}`);
    console.log(`report ${join(dir, 'report.html')}`);
    if (options.json) {
      console.log(JSON.stringify({ task: config.task, cell: config.cell, steps: run.step, examples: run.step * run.examplesPerStep, metric: run.metric.name, value: testValue, baseline: run.metric.baseline }));
    }
    return interrupted ? 130 : 0;
  },
};
