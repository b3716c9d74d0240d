// What a run's settings are: their names and meanings, each task's defaults, the settings
// and layer forms each task honours, and the completion that writes the cell's defaults in,
// so that the settings a checkpoint saves name the model that was built, in full.
import { ArgumentError, describe } from '../core/index.js';
import {
  cellKinds,
  defaultForgetBias,
  optionCell,
  type CellChoice,
  type CellKind,
  type LstmVariant,
} from '../cells/index.js';
import type { Tagset } from '../data/index.js';
import { makeTask, taskSizes, type TaskName } from '../tasks/index.js';
import { POS_AFFIX_DIM, POS_WORD_DIM, SHAPE_DIM } from '../models/index.js';
import { optimizerNames, type OptimizerName } from '../train/index.js';

/** The settings of a run, by the library's names. Task-specific ones are absent where they do not apply. */
export interface RunSettings {
  task: string;
  cell: CellKind;
  hiddenSize: number;
  numLayers: number;
  /** true: two RNNs, one each way; 'concatenated': one RNN over [x_t, x_{T+1−t}]. */
  bidirectional: boolean | 'concatenated';
  /** Sequences (sentences, chunks) per step. */
  batch: number;
  lr: number;
  optimizer: OptimizerName;
  /** Clip the global gradient norm to this; 0 means no clipping. */
  clip: number;
  seed: number;
  /** Steps in all, counting a resumed run's; null: no step limit (a time budget ends the run). */
  steps: number | null;
  /** Minutes of training in this session; 0: no time limit. */
  minutes: number;
  /** Evaluate every this many steps; 0: only at the end. */
  evalEvery: number;
  /** What a NaN or infinite loss or gradient does: stop the run, or skip the step. */
  onNonFinite: 'stop' | 'skip';
  /** Memory tasks: the length parameter (T, or arith's digits). */
  seqLen?: number;
  /** Memory tasks: examples in the fixed test set. */
  testSize?: number;
  /** pos: the tags to predict. */
  tagset?: Tagset;
  /** RNN: the nonlinearity (tanh; wordlm: sigmoid). */
  nonlinearity?: 'tanh' | 'relu' | 'sigmoid';
  /** LSTM: variant switches, comma-separated (cells/lstm.ts: nfg, nig, nog, peephole, cifg, …). */
  variant?: string;
  /** LSTM: the initial forget-gate bias (1 where the cell has a forget gate). */
  forgetBias?: number;
  /** GRU: z the gate that keeps h₋₁ (PyTorch) or that writes the candidate. */
  updateGate?: 'keeps' | 'writes';
}

const settingOrder: (keyof RunSettings)[] = [
  'task',
  'cell',
  'hiddenSize',
  'numLayers',
  'bidirectional',
  'batch',
  'steps',
  'minutes',
  'lr',
  'optimizer',
  'clip',
  'seed',
  'evalEvery',
  'onNonFinite',
  'seqLen',
  'testSize',
  'tagset',
  'nonlinearity',
  'variant',
  'forgetBias',
  'updateGate',
];

/** The settings in a fixed order (task first), without the ones that do not apply: name → value. */
export function orderedSettings(settings: RunSettings): [string, string | number | boolean | null][] {
  return settingOrder
    .filter((k) => settings[k] !== undefined)
    .map((k) => [k, settings[k] as string | number | boolean | null]);
}

/** The cell a run's (completed) settings name, with its kind's own options: what a layer is built from. */
export function cellChoice(settings: RunSettings): CellChoice {
  const { cell, nonlinearity, variant, forgetBias, updateGate } = settings;
  return {
    cell,
    ...(nonlinearity !== undefined && { nonlinearity }),
    ...(variant !== undefined && { variant: variant.split(',').map((v) => v.trim()) as LstmVariant[] }),
    ...(forgetBias !== undefined && { forgetBias }),
    ...(updateGate !== undefined && { updateGate }),
  };
}

/** Settings only some tasks take. */
export type ExtraSetting = 'seqLen' | 'testSize' | 'tagset';

/** What a task's runs are built from, and what they honour. */
export interface TaskSettings {
  readonly defaults: RunSettings;
  /** The task-specific settings this task takes; the others must be absent. */
  readonly extras: readonly ExtraSetting[];
  /** The layer forms its model can be built in (a language model or a generator reads one way only). */
  readonly directions: readonly RunSettings['bidirectional'][];
  /** An RNN's nonlinearity when the settings name none (tanh; the wordlm's Elman network: sigmoid). */
  readonly rnnNonlinearity?: 'sigmoid';
  /**
   * The features per step the first layer reads, where the task fixes it (real values, or
   * word features); absent where the input is symbols, which are embedded at the width the
   * cell needs.
   */
  inputWidth?(settings: RunSettings): number | null;
}

const common = {
  cell: 'lstm',
  numLayers: 1,
  optimizer: 'adam',
  seed: 1,
  minutes: 0,
  onNonFinite: 'stop',
} as const;

function memoryTask(name: TaskName): TaskSettings {
  return {
    extras: ['seqLen', 'testSize'],
    directions: [false, true],
    inputWidth: (settings) => {
      const input = makeTask(name, settings.seqLen).input;
      return input.kind === 'values' ? input.size : null;
    },
    defaults: {
      ...common,
      task: name,
      hiddenSize: 32,
      bidirectional: false,
      batch: 64,
      lr: 0.01,
      clip: 1,
      steps: 1000,
      evalEvery: 250,
      seqLen: taskSizes[name],
      testSize: 512,
    },
  };
}

export const taskSettings: Readonly<Record<string, TaskSettings>> = {
  adding: memoryTask('adding'),
  copy: memoryTask('copy'),
  order: memoryTask('order'),
  arith: memoryTask('arith'),
  xml: memoryTask('xml'),
  spell: {
    extras: [],
    directions: [false],
    defaults: {
      ...common,
      task: 'spell',
      hiddenSize: 64,
      bidirectional: false,
      batch: 32,
      lr: 0.01,
      clip: 5,
      steps: 400,
      evalEvery: 50,
    },
  },
  wordlm: {
    extras: [],
    directions: [false],
    rnnNonlinearity: 'sigmoid',
    defaults: {
      ...common,
      task: 'wordlm',
      cell: 'rnn',
      hiddenSize: 100,
      bidirectional: false,
      batch: 32,
      lr: 0.003,
      clip: 5,
      steps: 900,
      evalEvery: 300,
    },
  },
  pos: {
    extras: ['tagset'],
    directions: [true, false, 'concatenated'],
    inputWidth: () => POS_WORD_DIM + POS_AFFIX_DIM + SHAPE_DIM,
    defaults: {
      ...common,
      task: 'pos',
      tagset: 'universal',
      hiddenSize: 64,
      bidirectional: true,
      batch: 32,
      lr: 0.005,
      clip: 5,
      steps: 1200,
      evalEvery: 400,
    },
  },
  genre: {
    extras: [],
    directions: [false, true],
    defaults: {
      ...common,
      task: 'genre',
      hiddenSize: 64,
      bidirectional: false,
      batch: 32,
      lr: 0.003,
      clip: 5,
      steps: 1500,
      evalEvery: 500,
    },
  },
  chars: {
    extras: [],
    directions: [false],
    defaults: {
      ...common,
      task: 'chars',
      hiddenSize: 64,
      bidirectional: false,
      batch: 32,
      lr: 0.01,
      clip: 5,
      steps: null,
      minutes: 1,
      evalEvery: 25,
    },
  },
};

const commonSettings = new Set<string>([
  'task',
  'cell',
  'hiddenSize',
  'numLayers',
  'bidirectional',
  'batch',
  'lr',
  'optimizer',
  'clip',
  'seed',
  'steps',
  'minutes',
  'evalEvery',
  'onNonFinite',
  'nonlinearity',
  'variant',
  'forgetBias',
  'updateGate',
]);

/**
 * The settings as the model will be built: checked against what the kind honours (a setting it
 * would ignore is an error, so that what is saved is what was built), and with the cell's
 * defaults written in (an RNN's nonlinearity, an LSTM's forget bias, a GRU's update gate), so
 * that the saved settings name the model in full.
 */
export function completeSettings(settings: RunSettings): RunSettings {
  const kind = taskSettings[settings.task];
  if (kind === undefined)
    throw new ArgumentError(
      'createRun',
      'settings.task',
      `one of ${Object.keys(taskSettings).join(', ')}`,
      settings.task,
    );
  const task = settings.task;
  for (const [key, value] of Object.entries(settings)) {
    if (value !== undefined && !commonSettings.has(key) && !kind.extras.includes(key as ExtraSetting)) {
      throw new ArgumentError(
        'createRun',
        `settings.${key}`,
        `left out for the ${task} task (it takes ${[...commonSettings, ...kind.extras].join(', ')})`,
        (settings as unknown as Record<string, unknown>)[key],
      );
    }
  }
  checkValues(settings);
  if (!kind.directions.includes(settings.bidirectional)) {
    const why =
      kind.directions.length === 1
        ? `its model reads one way only`
        : `its model is built ${kind.directions.map((d) => describe(d)).join(' or ')}`;
    throw new ArgumentError(
      'createRun',
      'settings.bidirectional',
      `${kind.directions.map((d) => describe(d)).join(' or ')} for the ${task} task (${why})`,
      settings.bidirectional,
    );
  }
  for (const key of ['nonlinearity', 'variant', 'forgetBias', 'updateGate'] as const) {
    const owner = optionCell(key);
    if (settings[key] !== undefined && owner !== settings.cell) {
      throw new ArgumentError(
        'createRun',
        `settings.${key}`,
        `left out for the ${settings.cell} cell (it applies to ${owner} only)`,
        settings[key],
      );
    }
  }
  checkCellInput(task, kind, settings);
  const complete = { ...settings };
  if (settings.cell === 'rnn') complete.nonlinearity ??= kind.rnnNonlinearity ?? 'tanh';
  if (settings.cell === 'gru') complete.updateGate ??= 'keeps';
  const noForgetGate = (settings.variant ?? '').split(',').some((v) => v.trim() === 'nfg');
  if (settings.cell === 'lstm' && !noForgetGate) complete.forgetBias ??= defaultForgetBias('lstm');
  return complete;
}

/** Each number setting and the least value it takes (integers marked), so that settings read from a file pass the flags' checks. */
const numberRules: [key: keyof RunSettings, integer: boolean, min: number][] = [
  ['hiddenSize', true, 1],
  ['numLayers', true, 1],
  ['batch', true, 1],
  ['lr', false, 0],
  ['clip', false, 0],
  ['seed', true, 0],
  ['minutes', false, 0],
  ['evalEvery', true, 0],
  ['seqLen', true, 1],
  ['testSize', true, 1],
];

function checkValues(settings: RunSettings): void {
  const fail = (key: string, expected: string): never => {
    throw new ArgumentError(
      'createRun',
      `settings.${key}`,
      expected,
      (settings as unknown as Record<string, unknown>)[key],
    );
  };
  if (!cellKinds.includes(settings.cell)) fail('cell', `one of ${cellKinds.join(', ')}`);
  if (!optimizerNames.includes(settings.optimizer)) fail('optimizer', `one of ${optimizerNames.join(', ')}`);
  if (settings.onNonFinite !== 'stop' && settings.onNonFinite !== 'skip') fail('onNonFinite', "'stop' or 'skip'");
  for (const [key, integer, min] of numberRules) {
    const v = settings[key];
    if (v === undefined && (key === 'seqLen' || key === 'testSize')) continue;
    const ok = typeof v === 'number' && Number.isFinite(v) && v >= min && (!integer || Number.isSafeInteger(v));
    if (!ok) fail(key, `${integer ? 'an integer' : 'a finite number'} ≥ ${min}`);
  }
  if (settings.steps !== null && !(Number.isSafeInteger(settings.steps) && settings.steps >= 1))
    fail('steps', 'an integer ≥ 1, or null for no limit');
  if (
    settings.forgetBias !== undefined &&
    !(typeof settings.forgetBias === 'number' && Number.isFinite(settings.forgetBias))
  )
    fail('forgetBias', 'a finite number');
}

/**
 * MUT1 and MUT2 add x_t to a hidden-size vector, so every layer's input must be hiddenSize
 * wide: the first layer's where the task fixes its width, and the later layers' where a
 * bidirectional layer hands on both directions (2·hiddenSize).
 */
function checkCellInput(task: string, kind: TaskSettings, settings: RunSettings): void {
  if (settings.cell !== 'mut1' && settings.cell !== 'mut2') return;
  const H = settings.hiddenSize,
    width = kind.inputWidth?.(settings) ?? null;
  const needs = `adds x_t to the hidden state, so every layer's input must have settings.hiddenSize (${H}) features`;
  if (width !== null && width !== H) {
    throw new ArgumentError(
      'createRun',
      'settings.cell',
      `a cell that reads any input width for the ${task} task (${settings.cell} ${needs}, and the ${task} task's input has ${width} per step; mut3 takes any width, and tasks of symbols embed them at the hidden size)`,
      settings.cell,
    );
  }
  if (settings.bidirectional === true && settings.numLayers > 1) {
    throw new ArgumentError(
      'createRun',
      'settings.cell',
      `a cell that reads any input width with settings.numLayers ${settings.numLayers} and bidirectional (${settings.cell} ${needs}, and the layers after the first read both directions, 2·${H})`,
      settings.cell,
    );
  }
}
