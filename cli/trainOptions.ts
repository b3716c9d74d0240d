// `rnnlab train`'s options, one row each: the flag, the run setting it sets (if any), how it
// is parsed and checked, and its help. A default that depends on the task is read from the
// run kinds (experiments/registry.ts), so that the help says what a run does; the parser's
// specs and the flag → setting map both come from this table.
import { cellKinds, lstmVariants } from '../cells/index.js';
import { runKinds, runNames, type RunSettings } from '../experiments/index.js';
import { optimizerNames } from '../train/index.js';
import type { OptionSpec, OptionSpecs } from './args.js';

interface TrainOption {
  flag: string;
  /** The run setting the flag sets. */
  setting?: keyof RunSettings;
  spec: OptionSpec;
}

/**
 * The tasks' defaults of a setting, the tasks of one value together and the largest group
 * last as "others": "spell, pos, genre, chars 64; wordlm 100; others 32". One value: that
 * value alone. `none` names a null default.
 */
export function taskDefaults(setting: keyof RunSettings, none = 'none'): string {
  const groups = new Map<string, string[]>();
  for (const task of runNames) {
    const value = runKinds[task].defaults[setting];
    if (value === undefined) continue;
    const key = value === null ? none : String(value);
    groups.set(key, [...(groups.get(key) ?? []), task]);
  }
  const sorted = [...groups].sort((a, b) => a[1].length - b[1].length);
  if (sorted.length === 1) return sorted[0][0];
  const [largest] = sorted.splice(-1, 1);
  return [...sorted.map(([value, tasks]) => `${tasks.join(', ')} ${value}`), `others ${largest[0]}`].join('; ');
}

const row = (flag: string, setting: keyof RunSettings | undefined, spec: OptionSpec): TrainOption => ({
  flag,
  setting,
  spec,
});

export const trainOptionRows: TrainOption[] = [
  row('task', undefined, { type: 'string', help: 'the task', choices: runNames }),
  row('cell', 'cell', {
    type: 'string',
    help: `the recurrent cell (${taskDefaults('cell')}). train's lstm starts with forget bias 1; compare names that cell lstm-b, and its lstm is the paper's, bias 0`,
    choices: cellKinds,
  }),
  row('nonlinearity', 'nonlinearity', {
    type: 'string',
    help: 'rnn: the nonlinearity (tanh; wordlm: sigmoid)',
    choices: ['tanh', 'relu', 'sigmoid'],
  }),
  row('variant', 'variant', {
    type: 'string',
    help: `lstm: variant switches, comma-separated (${lstmVariants.join(', ')}; none)`,
  }),
  row('forget-bias', 'forgetBias', {
    type: 'real',
    help: "lstm: the initial forget-gate bias (1; 0 is compare's lstm)",
  }),
  row('update-gate', 'updateGate', {
    type: 'string',
    help: "gru: z keeps h_{t−1} (PyTorch's convention) or writes the candidate (keeps)",
    choices: ['keeps', 'writes'],
  }),
  row('seq-len', 'seqLen', {
    type: 'integer',
    min: 1,
    help: `a memory task's length: T, or arith's digits (${taskDefaults('seqLen')})`,
  }),
  row('test-size', 'testSize', {
    type: 'integer',
    min: 1,
    help: `memory tasks: examples in the fixed test set (${taskDefaults('testSize')})`,
  }),
  row('tagset', 'tagset', {
    type: 'string',
    help: `pos: the tags to predict (${taskDefaults('tagset')})`,
    choices: ['universal', 'brown'],
  }),
  row('hidden', 'hiddenSize', {
    type: 'integer',
    min: 1,
    help: `hidden units per layer and direction (${taskDefaults('hiddenSize')})`,
  }),
  row('layers', 'numLayers', { type: 'integer', min: 1, help: `stacked layers (${taskDefaults('numLayers')})` }),
  row('bidirectional', undefined, {
    type: 'flag',
    help: 'run each layer in both directions (pos always does, unless --unidirectional)',
  }),
  row('unidirectional', undefined, { type: 'flag', help: 'pos: read each sentence left to right only' }),
  row('concatenated', undefined, {
    type: 'flag',
    help: "pos: one RNN reading [x_t, x_{T+1−t}] at step t (the lectures' other bidirectional form)",
  }),
  row('batch', 'batch', {
    type: 'integer',
    min: 1,
    help: `sequences (sentences, chunks) per step (${taskDefaults('batch')})`,
  }),
  row('steps', 'steps', {
    type: 'integer',
    min: 1,
    help: `training steps in all, counting a resumed run's (${taskDefaults('steps', 'no limit but time')})`,
  }),
  row('minutes', 'minutes', {
    type: 'real',
    min: 0,
    help: `stop after this many minutes of this session, 0 for no limit (${taskDefaults('minutes')})`,
  }),
  row('lr', 'lr', { type: 'real', min: 0, help: `learning rate (${taskDefaults('lr')})` }),
  row('optimizer', 'optimizer', {
    type: 'string',
    help: `optimizer (${taskDefaults('optimizer')})`,
    choices: optimizerNames,
  }),
  row('clip', 'clip', {
    type: 'real',
    min: 0,
    help: `clip the global gradient norm to this, 0 for no clipping (${taskDefaults('clip')})`,
  }),
  row('seed', 'seed', {
    type: 'integer',
    min: 0,
    help: `seed of the initialisation and the data (${taskDefaults('seed')})`,
  }),
  row('eval-every', 'evalEvery', {
    type: 'integer',
    min: 0,
    help: `evaluate on held-out data every N steps, 0 for only at the end (${taskDefaults('evalEvery')})`,
  }),
  row('on-nonfinite', 'onNonFinite', {
    type: 'string',
    help: `a NaN or infinite loss or gradient stops the run, or skips the step (${taskDefaults('onNonFinite')})`,
    choices: ['stop', 'skip'],
  }),
];

/** The parser's specs of the rows. */
export function trainOptionSpecs(): OptionSpecs {
  return Object.fromEntries(trainOptionRows.map((r) => [r.flag, r.spec]));
}

/** Each flag that sets a run setting, and the setting. */
export const flagSettings: [flag: string, setting: keyof RunSettings][] = trainOptionRows.flatMap((r) =>
  r.setting === undefined ? [] : [[r.flag, r.setting] as [string, keyof RunSettings]],
);
