// Issue 20, classes 3 to 5, through the library: what is recorded is what was built (a
// setting or option that a task, cell or layer form does not honour is an error), values are
// checked wherever they enter (state dicts, files, hyperparameters read back, generation), and
// errors speak the caller's words (ArgumentError everywhere an argument is at fault, the size a
// buffer would take).
import {
  alloc, AllocationError, ArgumentError, CharLM, createRun, decodeSafetensors, encodeSafetensors, exportStateDict, FormatError, HalveOnPlateau, importStateDict,
  makeOptimizer, NonFiniteError, OneToMany, ops, RecurrentLayer, resumeRun, runKinds, Seq2Seq, StepDecay, WordLM, type RunSettings,
} from '../../index.js';
import type { Case } from './types.js';
import { allocated, changedCheckpoint, f32, f64, goodDict, gru } from './fixtures.js';

const settings = (task: string, changes: Record<string, unknown>) => ({ ...runKinds[task].defaults, hiddenSize: 4, batch: 2, ...changes }) as RunSettings;
const nulls = (n: number) => new Array(n).fill(null) as unknown as number[];
const oneToMany = (layer: Record<string, unknown> = {}) => new OneToMany({ inputSize: 3, targetVocab: 5, layer: { cell: 'gru', hiddenSize: 4, ...layer } as never });
/** A file of this header text (JSON) and 8 data bytes, decoded. */
const withHeader = (json: string) => () => {
  const header = new TextEncoder().encode(json);
  const bytes = new Uint8Array(8 + header.length + 8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
  bytes.set(header, 8);
  return decodeSafetensors(bytes);
};
const w = '"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}';
/** The saved run's checkpoint with its config's settings changed, resumed. */
const resumeWithSettings = (name: string, change: Record<string, unknown>) => () => {
  const path = changedCheckpoint(name, (_t, m) => {
    const config = JSON.parse(m.config);
    Object.assign(config.settings, change);
    m.config = JSON.stringify(config);
  });
  return resumeRun(path);
};
const optimizerMeta = (name: string, change: Record<string, unknown>) => changedCheckpoint(name, (_t, m) => {
  m.optimizer = JSON.stringify({ ...JSON.parse(m.optimizer), ...change });
});

export const builtCases: Case[] = [
  // Class 3: what is recorded is what was built.
  { area: 'runs', what: 'a bidirectional spelling model', run: () => createRun(settings('spell', { bidirectional: true })), error: ArgumentError, argument: 'settings.bidirectional', expected: 'false for the spell task (its model reads one way only)', got: 'true' },
  { area: 'runs', what: 'a bidirectional word language model', run: () => createRun(settings('wordlm', { bidirectional: true })), error: ArgumentError, argument: 'settings.bidirectional', expected: 'false for the wordlm task', got: 'true' },
  { area: 'runs', what: 'a concatenated character model', run: () => createRun(settings('chars', { bidirectional: 'concatenated' })), error: ArgumentError, argument: 'settings.bidirectional', expected: 'false for the chars task', got: "'concatenated'" },
  { area: 'runs', what: 'a concatenated genre model', run: () => createRun(settings('genre', { bidirectional: 'concatenated' })), error: ArgumentError, argument: 'settings.bidirectional', expected: 'false or true for the genre task', got: "'concatenated'" },
  { area: 'runs', what: 'a tagset for a memory task', run: () => createRun(settings('adding', { tagset: 'brown' })), error: ArgumentError, argument: 'settings.tagset', expected: 'left out for the adding task', got: "'brown'" },
  { area: 'runs', what: 'a sequence length for the chars task', run: () => createRun(settings('chars', { seqLen: 5 })), error: ArgumentError, argument: 'settings.seqLen', expected: 'left out for the chars task', got: '5' },
  { area: 'runs', what: 'an unknown setting', run: () => createRun(settings('adding', { hidden: 8 })), error: ArgumentError, argument: 'settings.hidden', expected: 'left out for the adding task (it takes task, cell, hiddenSize', got: '8' },
  { area: 'runs', what: 'a forget bias for a GRU', run: () => createRun(settings('adding', { cell: 'gru', forgetBias: 1 })), error: ArgumentError, argument: 'settings.forgetBias', expected: 'left out for the gru cell (it applies to lstm only)', got: '1' },
  { area: 'runs', what: 'an update gate for an LSTM', run: () => createRun(settings('copy', { updateGate: 'writes' })), error: ArgumentError, argument: 'settings.updateGate', expected: 'left out for the lstm cell (it applies to gru only)', got: "'writes'" },
  { area: 'runs', what: 'MUT1 on real-valued input', run: () => createRun(settings('adding', { cell: 'mut1' })), error: ArgumentError, argument: 'settings.cell', expected: "the adding task's input has 2 per step", got: "'mut1'" },
  { area: 'runs', what: 'MUT2 on word features', run: () => createRun({ ...runKinds.pos.defaults, cell: 'mut2' }), error: ArgumentError, argument: 'settings.cell', expected: "the pos task's input has 104 per step", got: "'mut2'" },
  { area: 'runs', what: 'stacked bidirectional MUT1', run: () => createRun(settings('copy', { cell: 'mut1', bidirectional: true, numLayers: 2 })), error: ArgumentError, argument: 'settings.cell', expected: 'the layers after the first read both directions, 2·4', got: "'mut1'" },
  { area: 'layers', what: 'merge with the concatenated form', run: () => new RecurrentLayer({ cell: 'gru', inputSize: 3, hiddenSize: 4, bidirectional: 'concatenated', merge: 'sum' }), error: ArgumentError, argument: 'merge', expected: "left out unless bidirectional is true (it joins the two RNNs' outputs, and this layer has one RNN over", got: "'sum'" },
  { area: 'layers', what: 'merge with one direction', run: () => new RecurrentLayer({ cell: 'lstm', inputSize: 3, hiddenSize: 4, merge: 'concat' }), error: ArgumentError, argument: 'merge', expected: 'this layer has one direction', got: "'concat'" },
  { area: 'models', what: 'a bidirectional decoder in OneToMany', run: () => oneToMany({ bidirectional: true }), error: ArgumentError, argument: 'layer.bidirectional', expected: 'left out (it predicts each next symbol from the ones before it', got: 'true' },
  { area: 'models', what: 'a merge mode in OneToMany', run: () => oneToMany({ merge: 'sum' }), error: ArgumentError, argument: 'layer.merge', expected: 'left out', got: "'sum'" },
  { area: 'models', what: 'an input size for OneToMany', run: () => oneToMany({ inputSize: 9 }), error: ArgumentError, argument: 'layer.inputSize', expected: 'the model sets it', got: '9' },
  { area: 'models', what: 'a bidirectional character model', run: () => new CharLM({ alphabet: 'ab', layer: { cell: 'lstm', hiddenSize: 2, bidirectional: true } as never }), error: ArgumentError, argument: 'layer.bidirectional', expected: 'a backward reader would see the answer', got: 'true' },
  { area: 'models', what: 'a store for a word model', run: () => new WordLM({ words: ['a', 'b'], layer: { cell: 'rnn', hiddenSize: 2, dtype: 'f64' } as never }), error: ArgumentError, argument: 'layer.dtype', expected: "left out (give it as the model's dtype)", got: "'f64'" },
  { area: 'models', what: 'a bidirectional encoder-decoder', run: () => new Seq2Seq({ sourceVocab: 4, targetVocab: 4, layer: { cell: 'gru', hiddenSize: 2, bidirectional: true } as never }), error: ArgumentError, argument: 'layer.bidirectional', expected: 'left out', got: 'true' },
  // Class 4: values are checked wherever they enter.
  { area: 'state dicts', what: 'a data array of nulls (JSON for NaN)', run: () => importStateDict(gru(), { ...goodDict(), bias_ih_l0: { shape: [12], data: nulls(12) } }), error: ArgumentError, argument: 'bias_ih_l0[0]', expected: 'a number (JSON writes NaN and ±Infinity as null)', got: 'null' },
  { area: 'state dicts', what: 'a string among the values', run: () => importStateDict(gru(), { ...goodDict(), bias_hh_l0: { shape: [12], data: [...new Array(11).fill(0), '1'] as unknown as number[] } }), error: ArgumentError, argument: 'bias_hh_l0[11]', expected: 'a number', got: "'1'" },
  { area: 'state dicts', what: 'an I64 tensor for a float parameter', run: () => importStateDict(gru(), { ...goodDict(), bias_ih_l0: { shape: [12], data: new BigInt64Array(12) as unknown as number[] } }), error: ArgumentError, argument: 'bias_ih_l0.data', expected: 'float values: a Float32Array, a Float64Array or an array of numbers', got: 'BigInt64Array(12)' },
  { area: 'state dicts', what: 'an I32 tensor for a float parameter', run: () => importStateDict(gru(), { ...goodDict(), bias_ih_l0: { shape: [12], data: new Int32Array(12) } }), error: ArgumentError, argument: 'bias_ih_l0.data', expected: 'float values', got: 'Int32Array(12)' },
  { area: 'state dicts', what: 'a U8 tensor for a float parameter', run: () => importStateDict(gru(), { ...goodDict(), weight_hh_l0: { shape: [12, 4], data: new Uint8Array(48) } }), error: ArgumentError, argument: 'weight_hh_l0.data', expected: 'float values', got: 'Uint8Array(48)' },
  { area: 'state dicts', what: 'a BOOL tensor from a file for a float parameter', run: () => { const file = decodeSafetensors(encodeSafetensors({ ...exportStateDict(gru()), bias_ih_l0: { shape: [12], data: new Uint8Array(12), dtype: 'BOOL' } })); importStateDict(gru(), Object.fromEntries(Object.entries(file.tensors).map(([k, t]) => [k, t as never]))); }, error: ArgumentError, argument: 'bias_ih_l0.data', expected: 'float values', got: 'Uint8Array(12)' },
  { area: 'optimizers', what: 'RMSprop alpha 1.5', run: () => makeOptimizer('rmsprop', allocated(), { lr: 0.01, alpha: 1.5 }), error: ArgumentError, argument: 'alpha', expected: 'a number in [0, 1)', got: '1.5' },
  { area: 'optimizers', what: 'RMSprop alpha 1', run: () => makeOptimizer('rmsprop', allocated(), { lr: 0.01, alpha: 1 }), error: ArgumentError, argument: 'alpha', expected: 'a number in [0, 1)', got: '1' },
  { area: 'optimizers', what: 'a negative rate set after construction', run: () => { makeOptimizer('adam', allocated(), { lr: 0.01 }).lr = -5; }, error: ArgumentError, argument: 'lr', expected: 'a finite number ≥ 0', got: '-5' },
  { area: 'optimizers', what: 'a fractional step count', run: () => { makeOptimizer('sgd', allocated(), { lr: 0.01 }).stepCount = 1.5; }, error: ArgumentError, argument: 'stepCount', expected: 'an integer ≥ 0', got: '1.5' },
  { area: 'schedules', what: 'a negative initial rate', run: () => new StepDecay(-0.1, 10, 0.5), error: ArgumentError, argument: 'initialLr', expected: 'a finite number ≥ 0', got: '-0.1' },
  { area: 'schedules', what: 'a plateau state read back wrong', run: () => new HalveOnPlateau(3).setState({ best: 1, bad: -2 }), error: ArgumentError, argument: 'state.bad', expected: 'an integer ≥ 0', got: '-2' },
  { area: 'checkpoints', what: 'a negative rate in the optimizer metadata', run: () => resumeRun(optimizerMeta('lr.safetensors', { lr: -5 })), error: Error, argument: 'lr.safetensors', expected: "its optimizer's lr must be a finite number ≥ 0", got: 'got -5' },
  { area: 'checkpoints', what: 'a rate of null in the optimizer metadata', run: () => resumeRun(optimizerMeta('lr-null.safetensors', { lr: null })), error: Error, argument: 'lr-null.safetensors', expected: "its optimizer's lr must be a finite number ≥ 0", got: 'got null' },
  { area: 'checkpoints', what: 'a negative step count in the optimizer metadata', run: () => resumeRun(optimizerMeta('count.safetensors', { stepCount: -1 })), error: Error, argument: 'count.safetensors', expected: "its optimizer's stepCount must be an integer ≥ 0", got: 'got -1' },
  { area: 'checkpoints', what: 'saved settings with a negative hidden size', run: resumeWithSettings('hidden.safetensors', { hiddenSize: -3 }), error: FormatError, argument: 'hidden.safetensors', expected: 'holds settings no run is built from: settings.hiddenSize must be an integer ≥ 1', got: 'got -3' },
  { area: 'checkpoints', what: 'saved settings with a rate of null', run: resumeWithSettings('rate.safetensors', { lr: null }), error: FormatError, argument: 'rate.safetensors', expected: 'settings.lr must be a finite number ≥ 0', got: 'got null' },
  { area: 'checkpoints', what: 'saved settings of an unknown task', run: resumeWithSettings('task.safetensors', { task: 'parity' }), error: FormatError, argument: 'task.safetensors', expected: 'not one of adding', got: '"parity"' },
  { area: 'checkpoints', what: 'saved settings a task does not honour', run: resumeWithSettings('bidi.safetensors', { task: 'adding', bidirectional: 'concatenated' }), error: FormatError, argument: 'bidi.safetensors', expected: 'settings.bidirectional must be false or true for the adding task', got: "'concatenated'" },
  { area: 'safetensors', what: 'a tensor named twice', run: withHeader(`{${w},${w}}`), error: FormatError, argument: 'safetensors data', expected: 'names tensor w twice', got: 'in its header' },
  { area: 'safetensors', what: 'a dimension past 2^53 in an empty tensor', run: withHeader(`{${w},"v":{"dtype":"F32","shape":[0,1e300],"data_offsets":[8,8]}}`), error: FormatError, argument: 'tensor v', expected: 'a safe integer ≥ 0', got: 'malformed shape [0,1e+300]' },
  { area: 'safetensors', what: 'a fractional dimension in an empty tensor', run: withHeader(`{${w},"v":{"dtype":"F32","shape":[0,2.5],"data_offsets":[8,8]}}`), error: FormatError, argument: 'tensor v', expected: 'a safe integer ≥ 0', got: 'malformed shape [0,2.5]' },
  { area: 'safetensors', what: 'F16 that would overflow to Infinity', run: () => encodeSafetensors({ w: { shape: [3], data: Float32Array.of(1, -70000, 2), dtype: 'F16' } }), error: ArgumentError, argument: 'tensor w', expected: "within F16's range (±65504)", got: '-70000 at w[1], its largest value' },
  { area: 'safetensors', what: 'F16 that would round up to Infinity', run: () => encodeSafetensors({ w: { shape: [1], data: Float64Array.of(65520), dtype: 'F16' } }), error: ArgumentError, argument: 'tensor w', expected: "within F16's range", got: '65520 at w[0]' },
  { area: 'models', what: 'generating −1 symbols', run: () => oneToMany().generate([0, 0, 0], 1, -1), error: ArgumentError, argument: 'maxLength', expected: 'an integer ≥ 1', got: '-1' },
  { area: 'models', what: 'generating from too few inputs', run: () => oneToMany().generate([0, 0, 0, 0, 0], 2, 4), error: ArgumentError, argument: 'inputs', expected: 'B·inputSize = 2·3 = 6 values', got: 'got 5' },
  { area: 'models', what: 'generating from a NaN input', run: () => oneToMany().generate([0, NaN, 0], 1, 4), error: NonFiniteError, argument: 'inputs[1]', expected: 'OneToMany.generate', got: 'NaN' },
  { area: 'models', what: 'generating for no inputs', run: () => oneToMany().generate([], 0, 4), error: ArgumentError, argument: 'B', expected: 'an integer ≥ 1', got: '0' },
  { area: 'runs', what: 'a negative rate in the settings', run: () => createRun(settings('adding', { lr: -1 })), error: ArgumentError, argument: 'settings.lr', expected: 'a finite number ≥ 0', got: '-1' },
  { area: 'runs', what: 'zero steps in the settings', run: () => createRun(settings('copy', { steps: 0 })), error: ArgumentError, argument: 'settings.steps', expected: 'an integer ≥ 1, or null for no limit', got: '0' },
  { area: 'runs', what: 'an unknown optimizer in the settings', run: () => createRun(settings('copy', { optimizer: 'adadelta' })), error: ArgumentError, argument: 'settings.optimizer', expected: 'one of sgd, rmsprop', got: "'adadelta'" },
  // Class 5: errors speak the caller's words.
  { area: 'ops', what: 'mse of two shapes', run: () => ops.mse(null, f32([4, 1]), f32([4])), error: ArgumentError, argument: 'target', expected: "of prediction's shape [4,1]", got: '[4]' },
  { area: 'layers', what: 'an f64 input to an f32 layer', run: () => new RecurrentLayer({ cell: 'gru', inputSize: 3, hiddenSize: 4 }).forward(null, f64([2, 1, 3])), error: ArgumentError, argument: 'x', expected: 'of dtype f32 like the parameters', got: "'f64'" },
  { area: 'layers', what: 'an f32 initial state to an f64 layer', run: () => gru().forward(null, f64([2, 1, 3]), { h0: f32([1, 1, 4]) }), error: ArgumentError, argument: 'h0', expected: 'of dtype f64 like the parameters', got: "'f32'" },
  { area: 'core', what: 'a buffer too large to allocate', run: () => alloc('f32', 2 ** 33), error: AllocationError, argument: 'length', expected: 'a buffer this process can allocate', got: '8589934592 f32 values, 34.4 GB in one buffer' },
  { area: 'layers', what: 'a layer too large to allocate', run: () => new RecurrentLayer({ cell: 'lstm', inputSize: 3, hiddenSize: 40000 }), error: AllocationError, argument: 'length', expected: 'a buffer this process can allocate', got: '25.6 GB in one buffer' },
];
