// `rnnlab train`: a training run of any kind in the registry (experiments/registry.ts),
// with progress, evaluations, a run folder (model, curve, report) written at the first save,
// a checkpoint every --save-every steps and on SIGINT, SIGTERM and SIGHUP, and --resume.
//
// Everything that can be checked is checked before training starts: the flags against
// the task (a flag the task does not take is an error), the output folders, and a resumed
// run's settings against the ones given.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { getBackend, withScope, writeFileAtomic } from '../index.js';
import { optionCell } from '../cells/index.js';
import {
  createRun,
  orderedSettings,
  resumeRun,
  runKind,
  runNames,
  type Run,
  type RunSettings,
} from '../experiments/index.js';
import { trainForAsync, type LoopResult } from '../train/index.js';
import { UsageError, type ParsedOptions } from './args.js';
import { runSections } from './runSections.js';
import { commonOptions, type Command } from './command.js';
import { Progress } from './progress.js';
import { checkRunsRoot, makeRunFolder } from './runFolder.js';
import { reportHtml } from './report.js';
import { inFlagWords } from './settingsFlags.js';
import { flagSettings, trainOptionSpecs } from './trainOptions.js';

/** Settings a resumed run may change: how long it trains and how often it is evaluated. */
const changeableOnResume = new Set<keyof RunSettings>(['steps', 'minutes', 'evalEvery']);

/** The settings the flags give: a kind's defaults, changed by the flags it takes (others are errors). */
function settingsFromFlags(
  options: ParsedOptions,
  base: RunSettings,
  takes: (setting: keyof RunSettings) => boolean,
): Partial<RunSettings> {
  const given: Partial<RunSettings> = {};
  for (const [flag, setting] of flagSettings) {
    const value = options[flag];
    if (value === undefined) continue;
    if (!takes(setting) && optionCell(setting) === undefined)
      throw new UsageError(`train: --${flag} does not apply to the ${base.task} task`, `--${flag}`);
    (given as Record<string, unknown>)[setting] = value;
  }
  const cell = given.cell ?? base.cell;
  for (const [flag, setting] of flagSettings) {
    const kind = optionCell(setting);
    if (kind !== undefined && given[setting] !== undefined && cell !== kind)
      throw new UsageError(`train: --${flag} applies to --cell ${kind} only, not ${cell}`, `--${flag}`);
  }
  // The layer forms the task's model can be built in (a language model or a generator reads one way only).
  const kind = runKind(base.task);
  const form = (flag: string, value: RunSettings['bidirectional'], why: string) => {
    if (!kind.directions.includes(value))
      throw new UsageError(`train: --${flag} does not apply to the ${base.task} task (${why})`, `--${flag}`);
    given.bidirectional = value;
  };
  const oneWay =
    kind.directions.length === 1
      ? 'its model reads one way only'
      : `its model is built ${kind.directions.map((d) => (d === true ? 'bidirectional' : d === false ? 'unidirectional' : d)).join(' or ')}`;
  if ([options.bidirectional, options.unidirectional, options.concatenated].filter(Boolean).length > 1) {
    throw new UsageError(
      'train: give one of --bidirectional, --unidirectional and --concatenated',
      options.concatenated ? '--concatenated' : '--unidirectional',
    );
  }
  if (options.bidirectional) form('bidirectional', true, oneWay);
  if (options.unidirectional) {
    if (kind.defaults.bidirectional === false)
      throw new UsageError(
        `train: --unidirectional does not apply to the ${base.task} task (it reads one way already)`,
        '--unidirectional',
      );
    form('unidirectional', false, oneWay);
  }
  if (options.concatenated) form('concatenated', 'concatenated', oneWay);
  return given;
}

/** A new run from the flags, or the run a checkpoint holds with the changes --resume allows. */
function buildRun(options: ParsedOptions): Run {
  if (options.resume !== undefined) {
    if (options.task !== undefined)
      throw new UsageError('train: give --task or --resume, not both (a resumed run keeps its task)', '--task');
    const run = resumeRun(options.resume as string);
    const saved = run.settings;
    const given = settingsFromFlags(options, saved, () => true);
    for (const [key, value] of Object.entries(given) as [keyof RunSettings, unknown][]) {
      if (changeableOnResume.has(key) || value === saved[key]) continue;
      const flag = flagSettings.find(([, s]) => s === key)?.[0] ?? key;
      throw new UsageError(
        `train: --${flag} ${String(value)} differs from the checkpoint's ${String(saved[key])}; a resumed run keeps its model and data settings`,
        `--${flag}`,
      );
    }
    if (given.steps !== undefined && given.steps !== null && given.steps <= run.step) {
      throw new UsageError(
        `train: --steps must be more than the ${run.step} steps the checkpoint has done, got ${given.steps}`,
        '--steps',
      );
    }
    if (given.steps === undefined && saved.steps !== null && saved.steps <= run.step) {
      throw new UsageError(
        `train: the checkpoint has done all of its ${saved.steps} steps; give --steps to train further`,
        '--steps',
      );
    }
    Object.assign(run.settings, given);
    return run;
  }
  if (options.task === undefined) throw new UsageError(`train: --task is required (${runNames.join(', ')})`, '--task');
  const kind = runKind(options.task as string);
  const common = new Set(Object.keys(kind.defaults));
  const given = settingsFromFlags(options, kind.defaults, (s) => common.has(s));
  return createRun({ ...kind.defaults, ...given });
}

/** Output paths are checked before training: the run folders' root and --save's folder must be writable. */
function checkOutputs(runsRoot: string, save: string | undefined): void {
  checkRunsRoot('train', runsRoot);
  if (save === undefined) return;
  if (existsSync(save) && statSync(save).isDirectory())
    throw new UsageError(
      `train: --save ${save} is a folder; give a file name such as ${join(save, 'model.safetensors')}`,
      '--save',
    );
  const folder = dirname(resolve(save));
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    throw new UsageError(`train: --save ${save}: its folder ${folder} does not exist`, '--save');
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new UsageError(`train: --save ${save}: its folder ${folder} is not writable`, '--save');
  }
}

const signalCodes: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

export const trainCommand: Command = {
  name: 'train',
  summary: `train a recurrent network: memory tasks (adding, copy, order, arith, xml) or the Brown corpus (pos, genre, chars)`,
  usage:
    '--task NAME [--cell NAME --nonlinearity F --variant LIST --forget-bias X --update-gate keeps|writes --seq-len N --hidden N --layers N --bidirectional --batch N --steps N --minutes M --lr X --optimizer NAME --clip X --seed N --save FILE --save-every N --resume FILE --summary --json]',
  options: {
    ...trainOptionSpecs(),
    runs: { type: 'string', help: 'folder for the run folders', default: 'runs' },
    save: { type: 'string', help: 'also write the checkpoint here (it always goes to the run folder)' },
    'save-every': {
      type: 'integer',
      min: 0,
      help: 'save the checkpoint every N steps (0: only at the end and on a signal)',
      default: 100,
    },
    resume: {
      type: 'string',
      help: 'continue the run saved in this checkpoint or run folder (--steps, --minutes and --eval-every may change)',
    },
    summary: {
      type: 'flag',
      help: "print the model's parameters (PyTorch's names, shapes and counts) and their total, and train nothing",
    },
    ...commonOptions,
  },
  async run(options) {
    const saveEvery = options['save-every'] as number;
    let run: Run;
    try {
      run = buildRun(options);
    } catch (err) {
      const sizes = ['hidden', 'layers', 'batch', 'seq-len', 'test-size'].map((f): [string, unknown] => [
        f,
        options[f],
      ]);
      throw options.resume === undefined
        ? inFlagWords('train', err, Object.fromEntries(flagSettings.map(([flag, setting]) => [setting, flag])), sizes)
        : err;
    }
    const s = run.settings;
    if (options.summary) {
      const summary = run.module.summary();
      console.log(String(summary));
      if (options.json)
        console.log(JSON.stringify({ task: s.task, cell: s.cell, parameters: summary.rows, total: summary.total }));
      return 0;
    }
    const runsRoot = options.runs as string,
      save = options.save as string | undefined;
    checkOutputs(runsRoot, save);

    console.log(run.title);
    console.log(
      orderedSettings(s)
        .map(([k, v]) => `${k} ${v === null ? 'none' : v}`)
        .join(', '),
    );
    console.log(
      `${run.metric.name} baseline ${run.metric.baseline.toFixed(4)} (${run.metric.higherIsBetter ? 'higher' : 'lower'} is better)`,
    );

    // The run folder is made at the first save, so that a run killed before it leaves nothing behind.
    let folder: string | null = null;
    const modelPath = () => join((folder ??= makeRunFolder(runsRoot, `${s.task}-${s.cell}`)), 'model.safetensors');
    const saveRun = () => {
      run.save(modelPath());
      if (save !== undefined) run.save(save);
    };

    let signal: string | null = null;
    const onSignal = (name: string) => () => {
      signal = name;
    };
    const handlers = Object.keys(signalCodes).map((name) => [name, onSignal(name)] as const);
    for (const [name, handler] of handlers) process.on(name, handler);
    const steps = s.steps ?? Infinity;
    const progress = new Progress(s.task, Number.isFinite(steps) ? steps : 0, s.minutes * 60);
    let result: LoopResult;
    try {
      result = await trainForAsync(run, {
        steps,
        seconds: s.minutes * 60,
        evalEvery: s.evalEvery,
        shouldStop: () => signal !== null,
        onStep: (r) => {
          progress.update(run.step, r.loss);
          if (saveEvery > 0 && run.step % saveEvery === 0) saveRun();
        },
        onEvaluation: (p) => {
          progress.done();
          const split = run.heldOut,
            ms = Number.isFinite(p.stepMs) ? `  ${p.stepMs.toFixed(1)} ms per training step` : '';
          console.log(
            `step ${p.step}  examples ${p.examples}  train loss ${p.trainLoss.toFixed(4)}  ${split} loss ${p.devLoss.toFixed(4)}  ${split} ${run.metric.name} ${p.value.toFixed(4)}${ms}`,
          );
        },
      });
    } finally {
      for (const [name, handler] of handlers) process.off(name, handler);
    }
    saveRun();
    const path = modelPath();
    if (signal !== null) console.log(`interrupted by ${signal}: saved the run at step ${run.step} to ${path}`);
    if (result.error !== undefined)
      console.log(`stopped: ${result.error.message}; saved the run as it was before that step to ${path}`);
    const last = result.curve.at(-1)!;
    const testValue = result.stoppedBy === 'non-finite' ? last.value : withScope(() => run.test());
    console.log(
      `final test ${run.metric.name} ${testValue.toFixed(4)} after ${run.step} steps (baseline ${run.metric.baseline.toFixed(4)})`,
    );
    const sections = runSections(run);
    for (const section of sections) if (section.text !== undefined) console.log(section.text);
    writeFileAtomic(join(folder!, 'curve.json'), JSON.stringify(result.curve));
    writeFileAtomic(
      join(folder!, 'report.html'),
      reportHtml({
        title: run.title,
        settings: Object.fromEntries(orderedSettings(s)),
        curve: result.curve,
        steps: result.steps,
        heldOut: run.heldOut,
        metric: run.metric,
        results: [
          [`test ${run.metric.name}`, testValue.toFixed(4)],
          ['baseline', run.metric.baseline.toFixed(4)],
          ['steps', String(run.step)],
          ['examples', String(run.step * run.examplesPerStep)],
          ['stopped by', signal ?? result.stoppedBy],
        ],
        sections,
      }),
    );
    console.log(`model ${path}`);
    console.log(`report ${join(folder!, 'report.html')}`);
    if (result.error !== undefined) throw result.error;
    if (options.json) {
      console.log(
        JSON.stringify({
          task: s.task,
          cell: s.cell,
          steps: run.step,
          examples: run.step * run.examplesPerStep,
          metric: run.metric.name,
          value: testValue,
          baseline: run.metric.baseline,
          backend: getBackend(),
        }),
      );
    }
    return signal === null ? 0 : signalCodes[signal];
  },
};
