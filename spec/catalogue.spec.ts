// The catalogue of bad inputs and faults: every case must end in an error of the stated
// class whose message names the argument, what was expected and what came. Library cases
// call the API; command-line cases run `rnnlab` with --json and read the exit code (2 for
// bad usage, 1 for a failure), the message on stderr and the {"error": …} object on stdout.
// (Signals and kills are in cli.spec.ts: there the fault is the outcome, not a message.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  alloc, ArgumentError, CharLM, decodeSafetensors, encodeSafetensors, exportStateDict, FormatError, gradcheck, importStateDict, Linear,
  LstmCell, makeOptimizer, MutCell, NonFiniteError, ops, ParamStore, RecurrentLayer, Rng, StepDecay, ExponentialDecay, HalveOnPlateau, Tape,
  Tensor, Trainer, clipGradNorm, clipGradValue, lastStep, loadCheckpoint, loadSafetensors, writeFileAtomic, SGD,
  createRun, runKinds, loadTagger, checkpointFile,
} from '../index.js';
import { repoRoot } from './helpers.js';

type ErrorClass = abstract new (...args: never[]) => Error;

interface Case {
  area: string;
  /** What is wrong. */
  what: string;
  run: () => unknown;
  error: ErrorClass;
  /** Texts the message must hold: the argument, what was expected, what came. */
  argument: string;
  expected: string;
  got: string;
}

const dir = mkdtempSync(join(tmpdir(), 'rnnlab-catalogue-'));
const f64 = (shape: number[]) => Tensor.zeros(shape, 'f64');
const f32 = (shape: number[]) => Tensor.zeros(shape, 'f32');
const lstm = () => new RecurrentLayer({ cell: 'lstm', inputSize: 3, hiddenSize: 4, numLayers: 2, dtype: 'f64' });
const allocated = (dtype: 'f32' | 'f64' = 'f64') => {
  const store = new ParamStore(dtype);
  store.add('w', [3]);
  return store.allocate();
};
const withNaN = (t: Tensor, at: number) => {
  t.data[at] = NaN;
  return t;
};
const gru = () => new RecurrentLayer({ cell: 'gru', inputSize: 3, hiddenSize: 4, dtype: 'f64' });
const goodDict = () => exportStateDict(gru());
const without = (name: string) => Object.fromEntries(Object.entries(goodDict()).filter(([k]) => k !== name));

/** A saved memory-task run and its file, for the checkpoint cases. */
const savedRun = (() => {
  const run = createRun({ ...runKinds.adding.defaults, hiddenSize: 4, batch: 2, steps: 2 });
  run.trainStep();
  const path = join(dir, 'run.safetensors');
  run.save(path);
  return { run, path, file: decodeSafetensors(readFileSync(path)) };
})();

/** The saved run's file with one change, written beside it. */
function changedCheckpoint(name: string, change: (tensors: Record<string, { shape: number[]; data: Float32Array | Float64Array }>, metadata: Record<string, string>) => void): string {
  const tensors = Object.fromEntries(Object.entries(savedRun.file.tensors).map(([k, v]) => [k, { shape: [...v.shape], data: (v.data as Float32Array).slice() }]));
  const metadata = { ...savedRun.file.metadata };
  change(tensors, metadata);
  const path = join(dir, name);
  writeFileSync(path, encodeSafetensors(tensors, metadata));
  return path;
}

const freshRun = () => createRun({ ...runKinds.adding.defaults, hiddenSize: 4, batch: 2, steps: 2 });
const load = (path: string) => () => {
  const run = freshRun();
  loadCheckpoint(path, { store: run.trainer.store, optimizer: run.trainer.optimizer });
};

const cases: Case[] = [
  // Ops: shapes, dtypes, indices, values.
  { area: 'ops', what: 'matmul inner sizes', run: () => ops.matmul(null, f64([2, 3]), f64([4, 5])), error: Error, argument: 'b [4,5]', expected: 'has 4 rows', got: 'a [2,3] has 3 columns' },
  { area: 'ops', what: 'matmul of a vector', run: () => ops.matmul(null, f64([6]), f64([6, 1])), error: Error, argument: 'a and b', expected: '2-D', got: 'a [6]' },
  { area: 'ops', what: 'add broadcast', run: () => ops.add(null, f64([2, 3]), f64([2])), error: Error, argument: 'b', expected: "a's shape [2,3] or be a vector [3]", got: 'b [2]' },
  { area: 'ops', what: 'mixed dtypes', run: () => ops.mul(null, f64([2]), f32([2])), error: ArgumentError, argument: 'b', expected: 'of dtype f64 like a', got: "'f32'" },
  { area: 'ops', what: 'not a tensor', run: () => ops.tanh(null, [1, 2] as unknown as Tensor), error: ArgumentError, argument: 'x', expected: 'a Tensor', got: '[1,2]' },
  { area: 'ops', what: 'concat leading axes', run: () => ops.concat(null, [f64([2, 3]), f64([3, 3])]), error: Error, argument: 'parts[1]', expected: 'share the leading axes [2]', got: '[3,3]' },
  { area: 'ops', what: 'slice out of range', run: () => ops.slice(null, f64([2, 3]), 2, 2), error: Error, argument: 'columns [2, 4)', expected: 'within the last axis', got: 'x [2,3]' },
  { area: 'ops', what: 'split widths that miss', run: () => ops.split(null, f64([2, 5]), [2, 2]), error: Error, argument: 'widths [2,2]', expected: 'the last axis of x [2,5] is 5', got: 'add up to 4' },
  { area: 'ops', what: 'split negative width', run: () => ops.split(null, f64([2, 5]), [6, -1]), error: ArgumentError, argument: 'split: widths[1]', expected: 'an integer ≥ 0', got: 'got -1' },
  { area: 'ops', what: 'selectStep past the end', run: () => ops.selectStep(null, f64([4, 2]), 4), error: ArgumentError, argument: 't', expected: 'an integer in [0, 4)', got: 'got 4' },
  { area: 'ops', what: 'stack shapes', run: () => ops.stack(null, [f64([2]), f64([3])]), error: Error, argument: 'items[1]', expected: 'expected [2]', got: 'shape [3]' },
  { area: 'ops', what: 'reshape size', run: () => ops.reshape(null, f64([2, 3]), [4, 2]), error: Error, argument: 'shape [4,2]', expected: 'holds 8 values', got: 'x [2,3] holds 6' },
  { area: 'ops', what: 'mse shapes', run: () => ops.mse(null, f64([2, 3]), f64([3, 2])), error: Error, argument: 'target', expected: "prediction's shape [2,3]", got: '[3,2]' },
  { area: 'ops', what: 'embedding index past the table', run: () => ops.embedding(null, f64([5, 2]), [0, 5]), error: ArgumentError, argument: 'indices[1]', expected: 'an integer in [0, 5)', got: 'got 5' },
  { area: 'ops', what: 'embedding fractional index', run: () => ops.embedding(null, f64([5, 2]), [1.5]), error: ArgumentError, argument: 'indices[0]', expected: 'an integer', got: '1.5' },
  { area: 'ops', what: 'embedding table rank', run: () => ops.embedding(null, f64([4]), [0]), error: ArgumentError, argument: 'weight', expected: '2-D [rows, dim]', got: '[4]' },
  { area: 'ops', what: 'cross-entropy target', run: () => ops.softmaxCrossEntropy(null, f64([3, 4]), [0, 4, 1]), error: ArgumentError, argument: 'targets[1]', expected: 'an integer in [0, 4)', got: 'got 4' },
  { area: 'ops', what: 'cross-entropy NaN target', run: () => ops.softmaxCrossEntropy(null, f64([3, 4]), [0, NaN, 1]), error: ArgumentError, argument: 'targets[1]', expected: 'an integer', got: 'NaN' },
  { area: 'ops', what: 'cross-entropy mask count', run: () => ops.softmaxCrossEntropy(null, f64([3, 4]), [0, 1, 2], { mask: [1, 0] }), error: Error, argument: 'mask', expected: 'one weight per row (3', got: 'got 2' },
  { area: 'ops', what: 'cross-entropy reduction', run: () => ops.softmaxCrossEntropy(null, f64([3, 4]), [0, 1, 2], { reduction: 'max' as 'sum' }), error: ArgumentError, argument: 'reduction', expected: "'mean' or 'sum'", got: "'max'" },
  { area: 'ops', what: 'dropout p = 1', run: () => ops.dropout(null, f64([2]), { p: 1, rng: new Rng(1), training: true }), error: ArgumentError, argument: 'p', expected: 'a probability in [0, 1)', got: 'got 1' },
  { area: 'ops', what: 'dropout without an rng', run: () => ops.dropout(null, f64([2]), { p: 0.5, training: true } as never), error: ArgumentError, argument: 'rng', expected: 'a seeded Rng', got: 'undefined' },
  { area: 'ops', what: 'affine NaN scale', run: () => ops.scale(null, f64([2]), NaN), error: Error, argument: 'scale and shift', expected: 'finite numbers', got: 'scale NaN' },
  { area: 'ops', what: 'mean of nothing', run: () => ops.mean(null, f64([0])), error: Error, argument: 'x', expected: 'at least one element', got: 'an empty tensor' },
  // Tensors, tapes, gradcheck, random numbers, allocation.
  { area: 'core', what: 'Tensor.from count', run: () => Tensor.from([1, 2, 3], [2, 2]), error: Error, argument: 'shape [2,2]', expected: 'holds 4 values', got: '3 were given' },
  { area: 'core', what: 'Tensor of an array', run: () => new Tensor([1, 2] as unknown as Float32Array, [2]), error: ArgumentError, argument: 'data', expected: 'a Float32Array or Float64Array', got: '[1,2]' },
  { area: 'core', what: 'negative shape', run: () => Tensor.zeros([2, -1]), error: ArgumentError, argument: 'shape', expected: 'an array of non-negative integers', got: '[2,-1]' },
  { area: 'core', what: 'backward from a vector', run: () => new Tape().backward(f64([2])), error: Error, argument: 'root', expected: 'a scalar loss', got: 'shape [2]' },
  { area: 'core', what: 'backward from NaN', run: () => new Tape().backward(Tensor.from([NaN], [], 'f64')), error: NonFiniteError, argument: 'the loss', expected: 'finite', got: 'NaN' },
  { area: 'core', what: 'backward seed size', run: () => new Tape().backward(f64([2]), alloc('f64', 3)), error: Error, argument: 'seed', expected: 'have 2 elements', got: 'got 3' },
  { area: 'core', what: 'gradcheck eps 0', run: () => gradcheck((t) => ops.sum(t, f64([1])), [f64([1])], { eps: 0 }), error: ArgumentError, argument: 'eps', expected: 'a finite number > 0', got: 'got 0' },
  { area: 'core', what: 'gradcheck NaN input', run: () => gradcheck((t) => ops.sum(t, f64([1])), [withNaN(Tensor.from([1, 2], [2], 'f64', { name: 'w' }), 1)]), error: NonFiniteError, argument: 'w[1]', expected: 'finite input values', got: 'NaN' },
  { area: 'core', what: 'gradcheck step that rounds away', run: () => { const w = Tensor.from([1e8], [1], 'f32', { name: 'w' }); return gradcheck((t) => ops.sum(t, ops.mul(t, w, w)), [w]); }, error: ArgumentError, argument: 'eps', expected: 'w[0] ± eps differ in f32', got: 'got 0.001' },
  { area: 'core', what: 'gradcheck loss leaves its domain', run: () => { const p = Tensor.from([0.5], [1], 'f64', { name: 'p' }); return gradcheck((t) => (p.data[0] > 0.5 ? Tensor.from([NaN], [], 'f64') : ops.sum(t, p)), [p]); }, error: NonFiniteError, argument: 'the loss in p[0] + eps', expected: 'must be finite', got: 'NaN' },
  { area: 'core', what: 'negative seed', run: () => new Rng(-1), error: ArgumentError, argument: 'seed', expected: 'a non-negative safe integer', got: '-1' },
  { area: 'core', what: 'Rng.int(0)', run: () => new Rng(1).int(0), error: ArgumentError, argument: 'n', expected: 'a positive integer', got: 'got 0' },
  { area: 'core', what: 'all-zero rng state', run: () => new Rng(1).setState([0, 0, 0, 0]), error: Error, argument: 'state', expected: 'not be all zeros', got: 'xoshiro would stay at zero' },
  { area: 'core', what: 'alloc negative', run: () => alloc('f32', -3), error: ArgumentError, argument: 'length', expected: 'a non-negative integer', got: '-3' },
  { area: 'core', what: 'store dtype', run: () => new ParamStore('f16' as 'f32'), error: ArgumentError, argument: 'dtype', expected: "'f32' or 'f64'", got: "'f16'" },
  { area: 'core', what: 'parameter added after allocation', run: () => allocated().add('late', [2]), error: Error, argument: 'late', expected: 'declare every parameter before allocate()', got: 'allocated already' },
  { area: 'core', what: 'data before allocation', run: () => new ParamStore().data, error: Error, argument: 'the store', expected: 'call allocate() first', got: 'not allocated yet' },
  // Layers and cells.
  { area: 'layers', what: 'input width', run: () => lstm().forward(null, f64([5, 2, 7])), error: ArgumentError, argument: 'x', expected: '[T, B, I] with I = inputSize 3', got: '[5,2,7]' },
  { area: 'layers', what: 'input dtype', run: () => lstm().forward(null, f32([5, 2, 3])), error: Error, argument: 'x', expected: 'f64 like the parameters', got: 'f32' },
  { area: 'layers', what: 'h0 shape', run: () => lstm().forward(null, f64([5, 2, 3]), { h0: f64([1, 2, 4]) }), error: ArgumentError, argument: 'h0', expected: '[2, 2, 4]', got: '[1,2,4]' },
  { area: 'layers', what: 'c0 for a GRU', run: () => gru().forward(null, f64([5, 2, 3]), { c0: f64([1, 2, 4]) }), error: Error, argument: 'c0', expected: 'only for an LSTM', got: 'gru' },
  { area: 'layers', what: 'lengths count', run: () => lstm().forward(null, f64([5, 2, 3]), { lengths: [3] }), error: ArgumentError, argument: 'lengths', expected: 'one length per sequence (2)', got: '1 value' },
  { area: 'layers', what: 'length past T', run: () => lstm().forward(null, f64([5, 2, 3]), { lengths: [3, 6] }), error: ArgumentError, argument: 'lengths[1]', expected: 'an integer in [1, 5]', got: 'got 6' },
  { area: 'layers', what: 'NaN in x', run: () => lstm().forward(null, withNaN(f64([2, 1, 3]), 4)), error: NonFiniteError, argument: 'x[4]', expected: 'inputs must be finite', got: 'NaN' },
  { area: 'layers', what: 'unknown cell', run: () => new RecurrentLayer({ cell: 'elman' as 'rnn', inputSize: 3, hiddenSize: 4 }), error: ArgumentError, argument: 'cell', expected: 'one of rnn, lstm, gru', got: "'elman'" },
  { area: 'layers', what: 'zero hidden units', run: () => new RecurrentLayer({ cell: 'gru', inputSize: 3, hiddenSize: 0 }), error: ArgumentError, argument: 'hiddenSize', expected: 'a positive integer', got: 'got 0' },
  { area: 'layers', what: 'dropout 1', run: () => new RecurrentLayer({ cell: 'gru', inputSize: 3, hiddenSize: 4, dropout: 1 }), error: ArgumentError, argument: 'dropout', expected: 'in [0, 1)', got: 'got 1' },
  { area: 'layers', what: 'dropout training without rng', run: () => new RecurrentLayer({ cell: 'gru', inputSize: 3, hiddenSize: 4, numLayers: 2, dropout: 0.5 }).forward(null, f32([2, 1, 3]), { training: true }), error: ArgumentError, argument: 'options.rng', expected: 'a seeded Rng', got: 'undefined' },
  { area: 'layers', what: 'LSTM variant for a GRU', run: () => new RecurrentLayer({ cell: 'gru', inputSize: 3, hiddenSize: 4, variant: 'peephole' }), error: ArgumentError, argument: 'variant', expected: 'left out for gru (it applies to lstm only)', got: "'peephole'" },
  { area: 'layers', what: 'resetAfter for an LSTM', run: () => new RecurrentLayer({ cell: 'lstm', inputSize: 3, hiddenSize: 4, resetAfter: false }), error: ArgumentError, argument: 'resetAfter', expected: 'applies to gru only', got: 'false' },
  { area: 'layers', what: 'delay for a GRU', run: () => new RecurrentLayer({ cell: 'gru', inputSize: 3, hiddenSize: 4, delay: 2 }), error: ArgumentError, argument: 'delay', expected: 'applies to rnn only', got: 'got 2' },
  { area: 'layers', what: 'unknown variant', run: () => new RecurrentLayer({ cell: 'lstm', inputSize: 3, hiddenSize: 4, variant: 'peeps' as 'peephole' }), error: ArgumentError, argument: 'variant', expected: 'vanilla, peephole, cifg', got: "'peeps'" },
  { area: 'layers', what: 'conflicting variants', run: () => new LstmCell(new ParamStore(), 'c', 3, 4, { variant: ['cifg', 'nfg'] }), error: Error, argument: 'variants cifg and nfg', expected: 'conflict', got: 'the coupled input gate 1 − f is always 0' },
  { area: 'layers', what: 'fused MUT', run: () => new RecurrentLayer({ cell: 'mut3', inputSize: 3, hiddenSize: 4, build: 'fused' }), error: ArgumentError, argument: 'build', expected: "'unfused' (mut3 has no fused build)", got: "'fused'" },
  { area: 'layers', what: 'MUT1 sizes', run: () => new MutCell(new ParamStore(), 'm', 'mut1', 3, 4), error: ArgumentError, argument: 'inputSize', expected: 'equal to hiddenSize (4)', got: 'got 3' },
  { area: 'layers', what: 'seed with a shared store', run: () => new RecurrentLayer({ cell: 'gru', inputSize: 3, hiddenSize: 4, store: new ParamStore(), seed: 3 }), error: ArgumentError, argument: 'seed', expected: 'left out when a store is given', got: 'got 3' },
  { area: 'layers', what: 'Linear input width', run: () => { const s = new ParamStore(); const l = new Linear(s, 'head', 4, 2); s.allocate(); return l.forward(null, f32([3, 5])); }, error: ArgumentError, argument: 'x', expected: 'ending in 4 features', got: '[3,5]' },
  { area: 'layers', what: 'lastStep flag against the tag', run: () => lastStep(null, new RecurrentLayer({ cell: 'gru', inputSize: 3, hiddenSize: 4, batchFirst: true }).forward(null, f32([2, 5, 3])).y, undefined, { batchFirst: false }), error: ArgumentError, argument: 'batchFirst', expected: 'true for this y', got: 'false' },
  { area: 'layers', what: 'lastStep lengths count', run: () => lastStep(null, f64([4, 3, 2]), [1, 2]), error: ArgumentError, argument: 'lengths', expected: '3 values, one per sequence', got: 'got 2' },
  // Optimizers, schedules, clipping, the trainer.
  { area: 'optimizers', what: 'Adam beta1 = 1', run: () => makeOptimizer('adam', allocated(), { lr: 0.1, betas: [1, 0.999] }), error: ArgumentError, argument: 'betas[0]', expected: 'a number in [0, 1)', got: 'got 1' },
  { area: 'optimizers', what: 'Adam negative beta2', run: () => makeOptimizer('adam', allocated(), { lr: 0.1, betas: [0.9, -0.1] }), error: ArgumentError, argument: 'betas[1]', expected: 'in [0, 1)', got: '-0.1' },
  { area: 'optimizers', what: 'Adam betas not a pair', run: () => makeOptimizer('adam', allocated(), { lr: 0.1, betas: 0.9 }), error: ArgumentError, argument: 'betas', expected: 'a pair [beta1, beta2]', got: '0.9' },
  { area: 'optimizers', what: 'negative lr', run: () => makeOptimizer('sgd', allocated(), { lr: -1 }), error: ArgumentError, argument: 'lr', expected: 'a finite number ≥ 0', got: '-1' },
  { area: 'optimizers', what: 'NaN lr', run: () => new SGD(allocated(), { lr: NaN }), error: ArgumentError, argument: 'lr', expected: 'a finite number', got: 'NaN' },
  { area: 'optimizers', what: 'negative momentum', run: () => makeOptimizer('sgd', allocated(), { lr: 0.1, momentum: -0.5 }), error: ArgumentError, argument: 'momentum', expected: '≥ 0', got: '-0.5' },
  { area: 'optimizers', what: 'Nesterov without momentum', run: () => makeOptimizer('sgd', allocated(), { lr: 0.1, nesterov: true }), error: ArgumentError, argument: 'nesterov', expected: 'momentum > 0 and dampening 0', got: 'momentum 0' },
  { area: 'optimizers', what: 'negative RMSprop alpha', run: () => makeOptimizer('rmsprop', allocated(), { lr: 0.1, alpha: -1 }), error: ArgumentError, argument: 'alpha', expected: '≥ 0', got: '-1' },
  { area: 'optimizers', what: 'negative Adagrad lr_decay', run: () => makeOptimizer('adagrad', allocated(), { lr: 0.1, lr_decay: -1 }), error: ArgumentError, argument: 'lrDecay', expected: '≥ 0', got: '-1' },
  { area: 'optimizers', what: 'negative weight decay', run: () => makeOptimizer('adamw', allocated(), { lr: 0.1, weight_decay: -0.01 }), error: ArgumentError, argument: 'weightDecay', expected: '≥ 0', got: '-0.01' },
  { area: 'optimizers', what: 'amsgrad not a flag', run: () => makeOptimizer('adam', allocated(), { lr: 0.1, amsgrad: 'yes' }), error: ArgumentError, argument: 'amsgrad', expected: 'true or false', got: "'yes'" },
  { area: 'optimizers', what: 'unknown optimizer', run: () => makeOptimizer('adadelta', allocated(), { lr: 0.1 }), error: ArgumentError, argument: 'name', expected: 'one of sgd, rmsprop, adagrad, adam, adamw', got: "'adadelta'" },
  { area: 'optimizers', what: 'unknown option', run: () => makeOptimizer('adam', allocated(), { lr: 0.1, momentum: 0.9 }), error: ArgumentError, argument: 'options', expected: 'keys among lr, betas', got: "'momentum'" },
  { area: 'optimizers', what: 'store not allocated', run: () => makeOptimizer('sgd', new ParamStore(), { lr: 0.1 }), error: Error, argument: 'the parameter store', expected: 'make the optimizer after the model', got: 'not allocated yet' },
  { area: 'schedules', what: 'step decay every 0', run: () => new StepDecay(1, 0, 0.5), error: ArgumentError, argument: 'every', expected: 'a finite number > 0', got: 'got 0' },
  { area: 'schedules', what: 'exponential NaN gamma', run: () => new ExponentialDecay(1, NaN), error: ArgumentError, argument: 'gamma', expected: '> 0', got: 'NaN' },
  { area: 'schedules', what: 'negative patience', run: () => new HalveOnPlateau(-1), error: ArgumentError, argument: 'patience', expected: '> 0', got: '-1' },
  { area: 'clipping', what: 'norm 0', run: () => clipGradNorm([alloc('f64', 2)], 0), error: ArgumentError, argument: 'maxNorm', expected: 'a finite number > 0', got: 'got 0' },
  { area: 'clipping', what: 'negative value', run: () => clipGradValue([alloc('f64', 2)], -1), error: ArgumentError, argument: 'clipValue', expected: '> 0', got: '-1' },
  { area: 'clipping', what: 'NaN norm with errorIfNonfinite', run: () => clipGradNorm([Float64Array.of(1, NaN)], 1, { errorIfNonfinite: true }), error: NonFiniteError, argument: 'the total gradient norm', expected: 'cannot be clipped', got: 'NaN' },
  { area: 'trainer', what: 'negative clip', run: () => new Trainer({ optimizer: makeOptimizer('sgd', allocated(), { lr: 0.1 }), clip: { mode: 'norm', max: -1 } }), error: ArgumentError, argument: 'clip.max', expected: 'a finite number > 0', got: '-1' },
  { area: 'trainer', what: 'unknown NaN rule', run: () => new Trainer({ optimizer: makeOptimizer('sgd', allocated(), { lr: 0.1 }), onNonFinite: 'ignore' as 'skip' }), error: ArgumentError, argument: 'onNonFinite', expected: "'stop' or 'skip'", got: "'ignore'" },
  // State dicts.
  { area: 'state dicts', what: 'missing name', run: () => importStateDict(gru(), without('bias_hh_l0')), error: ArgumentError, argument: 'dict', expected: 'exactly the names it expects (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0)', got: 'missing bias_hh_l0' },
  { area: 'state dicts', what: 'unexpected name', run: () => importStateDict(gru(), { ...goodDict(), weight_ih_l1: goodDict().weight_ih_l0 }), error: ArgumentError, argument: 'dict', expected: 'exactly the names it expects', got: 'unexpected names weight_ih_l1' },
  { area: 'state dicts', what: 'wrong shape', run: () => importStateDict(gru(), { ...goodDict(), weight_hh_l0: { shape: [4, 12], data: goodDict().weight_hh_l0.data } }), error: ArgumentError, argument: 'weight_hh_l0', expected: '[12,4]', got: '[4,12]' },
  { area: 'state dicts', what: 'NaN value', run: () => importStateDict(gru(), { ...goodDict(), bias_ih_l0: { shape: [12], data: new Float64Array(12).fill(NaN) } }), error: NonFiniteError, argument: 'bias_ih_l0[0]', expected: 'values must be finite', got: 'NaN' },
  { area: 'state dicts', what: '1e300 into float32', run: () => { const l = new RecurrentLayer({ cell: 'rnn', inputSize: 2, hiddenSize: 3 }); const d = exportStateDict(l); d.bias_hh_l0 = { shape: [3], data: Float64Array.of(0, 1e300, 0) }; importStateDict(l, d); }, error: NonFiniteError, argument: 'bias_hh_l0[1]', expected: 'finite in f32', got: 'Infinity' },
  // safetensors files.
  { area: 'safetensors', what: 'cut short', run: () => decodeSafetensors(encodeSafetensors({ w: { shape: [2], data: Float32Array.of(1, 2) } }).subarray(0, 30)), error: FormatError, argument: 'safetensors data', expected: 'first 8 bytes give a', got: 'only 22 bytes follow' },
  { area: 'safetensors', what: 'a text file', run: () => { const p = join(dir, 'notes.txt'); writeFileSync(p, 'These are not tensors, only notes.\n'); return loadSafetensors(p); }, error: FormatError, argument: 'notes.txt', expected: 'is not a .safetensors file', got: 'header' },
  { area: 'safetensors', what: 'a folder', run: () => loadSafetensors(dir), error: FormatError, argument: dir, expected: 'not a .safetensors file', got: 'is a folder' },
  { area: 'safetensors', what: 'unknown dtype', run: () => { const b = encodeSafetensors({ w: { shape: [1], data: Float32Array.of(1) } }); const t = new TextDecoder().decode(b); return decodeSafetensors(new TextEncoder().encode(t.replace('"F32"', '"Q32"'))); }, error: FormatError, argument: 'tensor w', expected: 'dtypes rnnlab reads', got: 'Q32' },
  { area: 'safetensors', what: 'header not JSON', run: () => { const b = encodeSafetensors({ w: { shape: [1], data: Float32Array.of(1) } }); b[9] = 0x7b; b[10] = 0x7b; return decodeSafetensors(b); }, error: FormatError, argument: 'header', expected: 'valid UTF-8 JSON', got: 'JSON' },
  { area: 'safetensors', what: 'metadata not text', run: () => encodeSafetensors({}, { step: 3 as unknown as string }), error: ArgumentError, argument: 'metadata value of step', expected: 'a string', got: '3' },
  // Checkpoints.
  { area: 'checkpoints', what: 'NaN weight', run: load(changedCheckpoint('nan.safetensors', (t) => { t['param/rnn.l0.W'].data[2] = NaN; })), error: NonFiniteError, argument: 'param/rnn.l0.W[2]', expected: 'values must be finite', got: 'NaN' },
  { area: 'checkpoints', what: 'infinite moment', run: load(changedCheckpoint('inf.safetensors', (t) => { t['optim/exp_avg_sq'].data[0] = Infinity; })), error: NonFiniteError, argument: 'optim/exp_avg_sq[0]', expected: 'values must be finite', got: 'Infinity' },
  { area: 'checkpoints', what: 'parameter shape', run: load(changedCheckpoint('shape.safetensors', (t) => { t['param/head.b'] = { shape: [2], data: Float32Array.of(1, 2) }; })), error: Error, argument: 'parameter head.b', expected: '[1] in the model', got: '[2] in the file' },
  { area: 'checkpoints', what: 'another optimizer', run: () => { const run = createRun({ ...runKinds.adding.defaults, hiddenSize: 4, batch: 2, optimizer: 'sgd' }); loadCheckpoint(savedRun.path, { store: run.trainer.store, optimizer: run.trainer.optimizer }); }, error: Error, argument: 'its optimizer', expected: "the run's is sgd", got: 'is adam' },
  { area: 'checkpoints', what: 'not a checkpoint', run: load(changedCheckpoint('plain.safetensors', (_t, m) => { delete m.format; })), error: FormatError, argument: 'format', expected: 'rnnlab-checkpoint/1', got: 'undefined' },
  { area: 'checkpoints', what: 'a chars model given as a tagger', run: () => loadTagger(savedRun.path), error: FormatError, argument: 'run.safetensors', expected: 'not a pos model', got: 'holds a adding model' },
  { area: 'checkpoints', what: 'a folder without a model', run: () => checkpointFile(dir), error: FormatError, argument: dir, expected: 'give a run folder or the file itself', got: 'a folder without a model.safetensors' },
  { area: 'checkpoints', what: 'a missing file', run: () => checkpointFile(join(dir, 'none.safetensors')), error: ArgumentError, argument: 'path', expected: 'an existing file or run folder', got: 'none.safetensors' },
  { area: 'files', what: 'a write whose folder is a file', run: () => { const p = join(dir, 'plain-file'); writeFileSync(p, 'x'); writeFileAtomic(join(p, 'model.safetensors'), 'data'); }, error: Error, argument: join(dir, 'plain-file', 'model.safetensors'), expected: 'cannot write', got: 'ENOTDIR' },
  // Models.
  { area: 'models', what: 'a character outside the alphabet', run: () => new CharLM({ alphabet: 'ab', layer: { cell: 'gru', hiddenSize: 2 } }).encode('abc'), error: ArgumentError, argument: 'character "c" at 2', expected: 'in the alphabet', got: 'not' },
  { area: 'models', what: 'a sampling temperature of 0', run: () => new CharLM({ alphabet: 'ab', layer: { cell: 'gru', hiddenSize: 2 } }).sample({ length: 3, temperature: 0 }), error: ArgumentError, argument: 'temperature', expected: 'a number > 0', got: 'got 0' },
];

/** One library case: the class, and the three parts of the message. */
function check(c: Case): void {
  let thrown: unknown = null;
  try {
    c.run();
  } catch (err) {
    thrown = err;
  }
  assert.ok(thrown !== null, `${c.area}: ${c.what} must throw`);
  const err = thrown as Error;
  assert.instance(err, c.error, `${c.area}: ${c.what}: ${err.name}: ${err.message}`);
  for (const part of [c.argument, c.expected, c.got]) {
    assert.ok(err.message.includes(part), `${c.area}: ${c.what}: the message "${err.message}" must name "${part}"`);
  }
  if (err instanceof ArgumentError) assert.ok(c.argument.includes(err.argument) || err.argument.includes(c.argument), `${c.area}: ${c.what}: argument ${err.argument}`);
}

interface CliCase {
  what: string;
  args: string[];
  stdin?: string;
  /** 2: bad usage; 1: a failure of what was asked. */
  code: 1 | 2;
  /** Texts the message must hold. */
  parts: string[];
  /** The flag or value the JSON error names, for a usage error. */
  argument?: string;
}

const runsDir = join(dir, 'runs');
mkdirSync(runsDir);
const emptyDir = join(dir, 'empty');
mkdirSync(emptyDir);

const cliCases: CliCase[] = [
  { what: 'negative clip', args: ['train', '--task', 'adding', '--clip', '-1'], code: 2, parts: ['--clip', 'a number ≥ 0', 'got -1'], argument: '--clip' },
  { what: 'negative minutes', args: ['train', '--task', 'adding', '--minutes', '-2'], code: 2, parts: ['--minutes', 'a number ≥ 0', 'got -2'], argument: '--minutes' },
  { what: 'fractional hidden', args: ['train', '--task', 'adding', '--hidden', '2.5'], code: 2, parts: ['--hidden', 'an integer ≥ 1', 'got 2.5'], argument: '--hidden' },
  { what: 'unknown task', args: ['train', '--task', 'parity'], code: 2, parts: ['--task', 'one of adding, copy', "got 'parity'"], argument: '--task' },
  { what: 'unknown cell', args: ['train', '--task', 'adding', '--cell', 'elman'], code: 2, parts: ['--cell', 'one of rnn, lstm, gru', "got 'elman'"], argument: '--cell' },
  { what: 'a flag the task does not take', args: ['train', '--task', 'adding', '--tagset', 'brown'], code: 2, parts: ['--tagset', 'does not apply to', 'the adding task'], argument: '--tagset' },
  { what: 'a missing --save folder', args: ['train', '--task', 'adding', '--save', join(dir, 'no', 'm.safetensors'), '--runs', runsDir], code: 2, parts: ['--save', join(dir, 'no'), 'does not exist'], argument: '--save' },
  { what: 'a --save that is a folder', args: ['train', '--task', 'adding', '--save', dir, '--runs', runsDir], code: 2, parts: ['--save', 'a file name', 'is a folder'], argument: '--save' },
  { what: 'negative --save-every', args: ['train', '--task', 'adding', '--save-every', '-5'], code: 2, parts: ['--save-every', 'an integer ≥ 0', 'got -5'], argument: '--save-every' },
  { what: '--task and --resume', args: ['train', '--task', 'adding', '--resume', 'x.safetensors'], code: 2, parts: ['--task or --resume', 'not both', 'keeps its task'], argument: '--task' },
  { what: 'resume with another cell', args: ['train', '--resume', savedRun.path, '--cell', 'gru', '--steps', '9', '--runs', runsDir], code: 2, parts: ['--cell gru', "the checkpoint's lstm", 'keeps its model'], argument: '--cell' },
  { what: 'resume to a step already done', args: ['train', '--resume', savedRun.path, '--steps', '1', '--runs', runsDir], code: 2, parts: ['--steps', 'more than the 1 steps the checkpoint has done', 'got 1'], argument: '--steps' },
  { what: 'resume a missing file', args: ['train', '--resume', join(dir, 'none.safetensors')], code: 1, parts: ['path', 'an existing file or run folder', 'none.safetensors'] },
  { what: 'a stray positional argument', args: ['tag', '--model', savedRun.path, 'file.txt'], code: 2, parts: ['tag', 'takes no positional arguments', "'file.txt'"], argument: 'file.txt' },
  { what: 'tag without a model', args: ['tag'], stdin: 'The jury said\n', code: 2, parts: ['--model', 'is required', 'tag'], argument: '--model' },
  { what: 'tag with a memory-task checkpoint', args: ['tag', '--model', savedRun.path], stdin: 'The jury said\n', code: 1, parts: ['run.safetensors', 'not a pos model', 'holds a adding model'] },
  { what: 'sample from a text file', args: ['sample', '--model', join(dir, 'notes.txt')], code: 1, parts: ['notes.txt', 'is not a .safetensors file', 'header'] },
  { what: 'sample from a folder without a model', args: ['sample', '--model', emptyDir], code: 1, parts: [emptyDir, 'a folder without a model.safetensors', 'run folder'] },
  { what: 'sample at temperature 0', args: ['sample', '--model', savedRun.path, '--temperature', '0'], code: 1, parts: ['run.safetensors', 'not a chars model', 'adding'] },
  { what: 'golden on an empty folder', args: ['golden', emptyDir], code: 2, parts: [emptyDir, 'holds no case files', 'give a folder of reference cases'], argument: emptyDir },
  { what: 'golden on a missing path', args: ['golden', join(dir, 'none')], code: 2, parts: ['golden', 'no such file or directory', join(dir, 'none')], argument: join(dir, 'none') },
  { what: 'golden without files', args: ['golden'], code: 2, parts: ['golden', 'give one or more case files or folders', 'spec/fixtures/golden'] },
  { what: 'bench --only matching nothing', args: ['bench', '--quick', '--only', 'nothing-like-this'], code: 2, parts: ['--only', "'nothing-like-this' matches no case", 'the cases are named like'], argument: '--only' },
  { what: 'gradcheck --op matching nothing', args: ['gradcheck', '--op', 'nothing-like-this'], code: 2, parts: ['--op', 'no case name contains', "'nothing-like-this'"], argument: '--op' },
  { what: 'an unknown option', args: ['gradcheck', '--nope'], code: 2, parts: ['--nope', 'unknown option', "see 'rnnlab gradcheck --help'"], argument: '--nope' },
  { what: 'an unknown dtype', args: ['gradcheck', '--dtype', 'f16'], code: 2, parts: ['--dtype', 'one of f64, f32, both', "got 'f16'"], argument: '--dtype' },
  { what: 'a number that is not one', args: ['vanish', '--length', 'ten'], code: 2, parts: ['--length', 'a number', "got 'ten'"], argument: '--length' },
  { what: 'a length too short to vanish', args: ['vanish', '--length', '1'], code: 2, parts: ['--length', 'an integer ≥ 2', 'got 1'], argument: '--length' },
  { what: 'a flag given a value', args: ['train', '--bidirectional=yes'], code: 2, parts: ['--bidirectional', 'takes no value', "got 'yes'"], argument: '--bidirectional' },
  { what: 'an option without its value', args: ['train', '--task'], code: 2, parts: ['--task', 'needs a value', 'train'], argument: '--task' },
];

const cli = join(repoRoot, 'dist/cli/main.js');

function checkCli(c: CliCase): void {
  const r = spawnSync(process.execPath, [cli, ...c.args, '--json'], { encoding: 'utf8', cwd: repoRoot, input: c.stdin ?? '' });
  assert.is(r.status, c.code, `${c.what}: exit ${r.status}, stderr ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  const json = JSON.parse(lines.at(-1)!) as { error: { message: string; argument?: string } };
  for (const part of c.parts) {
    assert.ok(r.stderr.includes(part), `${c.what}: stderr "${r.stderr.trim()}" must name "${part}"`);
    assert.ok(json.error.message.includes(part), `${c.what}: the JSON error must name "${part}"`);
  }
  if (c.argument !== undefined) assert.is(json.error.argument, c.argument, c.what);
}

test(`the catalogue holds at least 80 bad inputs and faults (${cases.length} in the library, ${cliCases.length} on the command line)`, () => {
  assert.ok(cases.length + cliCases.length >= 80);
  const areas = new Set(cases.map((c) => c.area));
  for (const area of ['ops', 'layers', 'optimizers', 'schedules', 'clipping', 'state dicts', 'safetensors', 'checkpoints']) assert.ok(areas.has(area), area);
});

for (const c of cases) test(`${c.area}: ${c.what}`, () => check(c));
for (const c of cliCases) test(`rnnlab: ${c.what}`, () => checkCli(c));

test('a failed write names its path and leaves no temporary file; stale temporary files of dead writers are removed', () => {
  const target = join(dir, 'atomic', 'model.safetensors');
  mkdirSync(join(dir, 'atomic'));
  // A file-size limit makes the write fail part-way (EFBIG), as a full disk would (ENOSPC).
  const script = `import('${join(repoRoot, 'dist/index.js')}').then(({ writeFileAtomic }) => writeFileAtomic(${JSON.stringify(target)}, new Uint8Array(1 << 20)))`;
  const r = spawnSync('bash', ['-c', `trap '' XFSZ; ulimit -f 64; exec "${process.execPath}" -e "${script.replace(/"/g, '\\"')}"`], { encoding: 'utf8' });
  assert.is.not(r.status, 0);
  assert.match(r.stderr, `cannot write ${target}: EFBIG`);
  assert.equal(readdirSync(join(dir, 'atomic')), [], 'the temporary file is gone');
  const stale = `${target}.tmp-2147483646-1`, mine = `${target}.tmp-${process.pid}-1`;
  writeFileSync(stale, 'left by a killed writer');
  writeFileSync(mine, 'this process is alive');
  writeFileAtomic(target, 'whole');
  assert.equal(readdirSync(join(dir, 'atomic')).sort(), ['model.safetensors', `model.safetensors.tmp-${process.pid}-1`]);
  assert.is(readFileSync(target, 'utf8'), 'whole');
});

test('done: the catalogue\'s folder is removed', () => {
  rmSync(dir, { recursive: true });
});

test.run();
