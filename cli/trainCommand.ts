// `rnnlab train`: a training run of any kind in the registry (experiments/registry.ts),
// with progress, evaluations, a run folder (model, curve, report) written at the first save,
// a checkpoint every --save-every steps and on SIGINT, SIGTERM and SIGHUP, and --resume.
//
// Everything that can be checked is checked before training starts: the flags against
// the task (a flag the task does not take is an error), the output folders, and a resumed
// run's settings against the ones given.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { cellKinds, getBackend, lstmVariants, withScope, writeFileAtomic } from '../index.js';
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
import { optimizerNames, trainForAsync, type LoopResult } from '../train/index.js';
import { UsageError, type ParsedOptions } from './args.js';
import { runSections } from './runSections.js';
import { commonOptions, type Command } from './command.js';
import { Progress } from './progress.js';
import { checkRunsRoot, makeRunFolder } from './runFolder.js';
import { reportHtml } from './report.js';
import { inFlagWords } from './settingsFlags.js';

/** Each flag and the setting it sets (the flag's range is checked by the parser). */
const flagSettings: [flag: string, setting: keyof RunSettings][] = [
  ['cell', 'cell'],
  ['hidden', 'hiddenSize'],
  ['layers', 'numLayers'],
  ['batch', 'batch'],
  ['lr', 'lr'],
  ['optimizer', 'optimizer'],
  ['clip', 'clip'],
  ['seed', 'seed'],
  ['steps', 'steps'],
  ['minutes', 'minutes'],
  ['eval-every', 'evalEvery'],
  ['on-nonfinite', 'onNonFinite'],
  ['seq-len', 'seqLen'],
  ['test-size', 'testSize'],
  ['tagset', 'tagset'],
  ['nonlinearity', 'nonlinearity'],
  ['variant', 'variant'],
  ['forget-bias', 'forgetBias'],
  ['update-gate', 'updateGate'],
];

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
    task: { type: 'string', help: 'the task', choices: runNames },
    cell: {
      type: 'string',
      help: "the recurrent cell (lstm; wordlm: rnn). train's lstm starts with forget bias 1; compare names that cell lstm-b, and its lstm is the paper's, bias 0",
      choices: cellKinds,
    },
    nonlinearity: {
      type: 'string',
      help: 'rnn: the nonlinearity (tanh; wordlm: sigmoid)',
      choices: ['tanh', 'relu', 'sigmoid'],
    },
    variant: { type: 'string', help: `lstm: variant switches, comma-separated (${lstmVariants.join(', ')}; none)` },
    'forget-bias': { type: 'real', help: "lstm: the initial forget-gate bias (1; 0 is compare's lstm)" },
    'update-gate': {
      type: 'string',
      help: "gru: z keeps h_{t−1} (PyTorch's convention) or writes the candidate (keeps)",
      choices: ['keeps', 'writes'],
    },
    'seq-len': {
      type: 'integer',
      min: 1,
      help: "a memory task's length: T (adding 50, copy 20, order 60, xml 60) or arith's digits (3)",
    },
    'test-size': { type: 'integer', min: 1, help: 'memory tasks: examples in the fixed test set (512)' },
    tagset: { type: 'string', help: 'pos: the tags to predict (universal)', choices: ['universal', 'brown'] },
    hidden: {
      type: 'integer',
      min: 1,
      help: 'hidden units per layer and direction (memory tasks 32, pos 64, genre 64, chars 64)',
    },
    layers: { type: 'integer', min: 1, help: 'stacked layers (1)' },
    bidirectional: {
      type: 'flag',
      help: 'run each layer in both directions (pos always does, unless --unidirectional)',
    },
    unidirectional: { type: 'flag', help: 'pos: read each sentence left to right only' },
    concatenated: {
      type: 'flag',
      help: "pos: one RNN reading [x_t, x_{T+1−t}] at step t (the lectures' other bidirectional form)",
    },
    batch: { type: 'integer', min: 1, help: 'sequences (sentences, chunks) per step (64 memory tasks, 32 Brown)' },
    steps: {
      type: 'integer',
      min: 1,
      help: "training steps in all, counting a resumed run's (memory 1000, pos 1200, genre 1500; chars: no limit but time)",
    },
    minutes: { type: 'real', min: 0, help: 'stop after this many minutes of this session (chars: 1; 0: no limit)' },
    lr: { type: 'real', min: 0, help: 'learning rate (memory 0.01, pos 0.005, genre 0.003, chars 0.01)' },
    optimizer: { type: 'string', help: 'optimizer (adam)', choices: optimizerNames },
    clip: {
      type: 'real',
      min: 0,
      help: 'clip the global gradient norm to this, 0 for no clipping (memory 1, Brown 5)',
    },
    seed: { type: 'integer', min: 0, help: 'seed of the initialisation and the data (1)' },
    'eval-every': { type: 'integer', min: 0, help: 'evaluate on held-out data every N steps (0: only at the end)' },
    'on-nonfinite': {
      type: 'string',
      help: 'a NaN or infinite loss or gradient stops the run, or skips the step (stop)',
      choices: ['stop', 'skip'],
    },
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
