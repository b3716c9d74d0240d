// Bad input to cells and layers gets an Error naming the argument, what was expected and what came.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ParamStore, Tensor } from '../index.js';
import { RecurrentLayer } from '../cells/layer.js';
import { LstmCell } from '../cells/lstm.js';
import { MutCell } from '../cells/mut.js';

const lstm = () => new RecurrentLayer({ cell: 'lstm', inputSize: 3, hiddenSize: 4, numLayers: 2, dtype: 'f64' });
const x = (T: number, B: number, I: number) => Tensor.zeros([T, B, I], 'f64');

test('wrong input width or rank', () => {
  assert.throws(
    () => lstm().forward(null, x(5, 2, 7)),
    /lstm: x must be \[T, B, I\] with I = inputSize 3, got \[5,2,7\]/,
  );
  assert.throws(
    () => lstm().forward(null, Tensor.zeros([5, 3], 'f64')),
    /lstm: x must be \[T, B, I\] with I = inputSize 3, got \[5,3\]/,
  );
  const bf = new RecurrentLayer({ cell: 'gru', inputSize: 3, hiddenSize: 4, batchFirst: true, dtype: 'f64' });
  assert.throws(() => bf.forward(null, x(2, 5, 4)), /gru: x must be \[B, T, I\] with I = inputSize 3, got \[2,5,4\]/);
  assert.throws(
    () => lstm().forward(null, Tensor.zeros([5, 2, 3], 'f32')),
    /lstm: x must be of dtype f64 like the parameters, got 'f32'/,
  );
});

test('wrong h0 or c0 shape', () => {
  assert.throws(
    () => lstm().forward(null, x(5, 2, 3), { h0: Tensor.zeros([1, 2, 4], 'f64') }),
    /lstm: h0 must be \[numLayers·directions, B, H\] = \[2, 2, 4\], got \[1,2,4\]/,
  );
  assert.throws(
    () => lstm().forward(null, x(5, 2, 3), { c0: Tensor.zeros([2, 3, 4], 'f64') }),
    /lstm: c0 must be \[numLayers·directions, B, H\] = \[2, 2, 4\], got \[2,3,4\]/,
  );
  const gru = new RecurrentLayer({ cell: 'gru', inputSize: 3, hiddenSize: 4, dtype: 'f64' });
  assert.throws(
    () => gru.forward(null, x(5, 2, 3), { c0: Tensor.zeros([1, 2, 4], 'f64') }),
    /gru: c0 must be left out: it is only for an LSTM, and this layer is gru/,
  );
});

test('lengths of 0, longer than T, or of the wrong count', () => {
  for (const build of ['fused', 'unfused'] as const) {
    assert.throws(
      () => lstm().forward(null, x(5, 2, 3), { lengths: [0, 5], build }),
      /lstm: lengths\[0\] must be an integer in \[1, 5\] \(x has 5 steps\), got 0/,
    );
    assert.throws(
      () => lstm().forward(null, x(5, 2, 3), { lengths: [3, 6], build }),
      /lengths\[1\] must be an integer in \[1, 5\] \(x has 5 steps\), got 6/,
    );
    assert.throws(
      () => lstm().forward(null, x(5, 2, 3), { lengths: [3], build }),
      /lstm: lengths must be one length per sequence \(2\), got 1 value/,
    );
  }
});

test('an unknown merge mode, variant, cell, build or option value', () => {
  assert.throws(
    () => new RecurrentLayer({ cell: 'lstm', inputSize: 3, hiddenSize: 4, bidirectional: true, merge: 'avg' as 'sum' }),
    /lstm: merge must be one of concat, sum, mean, mul, max, got 'avg'/,
  );
  assert.throws(
    () => new RecurrentLayer({ cell: 'lstm', inputSize: 3, hiddenSize: 4, variant: 'peeps' as 'peephole' }),
    /variant must be a known LSTM variant: vanilla, peephole, cifg, nfg, nig, nog, niaf, noaf, fgr, got 'peeps'/,
  );
  assert.throws(
    () => new LstmCell(new ParamStore(), 'c', 3, 4, { variant: ['cifg', 'nfg'] }),
    /variants cifg and nfg conflict/,
  );
  assert.throws(
    () => new LstmCell(new ParamStore(), 'c', 3, 4, { variant: ['fgr', 'nog'] }),
    /variant fgr needs all of the input, forget and output gates/,
  );
  assert.throws(
    () => new RecurrentLayer({ cell: 'elman' as 'rnn', inputSize: 3, hiddenSize: 4 }),
    /cell must be one of rnn, lstm, gru, mut1, mut2, mut3, got 'elman'/,
  );
  assert.throws(
    () => new RecurrentLayer({ cell: 'mut3', inputSize: 3, hiddenSize: 4, build: 'fused' }),
    /mut3: build must be 'unfused' \(mut3 has no fused build\), got 'fused'/,
  );
  assert.throws(
    () => new RecurrentLayer({ cell: 'rnn', inputSize: 3, hiddenSize: 4, nonlinearity: 'softsign' as 'tanh' }),
    /nonlinearity must be 'tanh', 'relu' or 'sigmoid', got 'softsign'/,
  );
  assert.throws(
    () => new RecurrentLayer({ cell: 'rnn', inputSize: 3, hiddenSize: 4, delay: 0 }),
    /delay must be an integer ≥ 1, got 0/,
  );
  assert.throws(
    () => new RecurrentLayer({ cell: 'gru', inputSize: 3, hiddenSize: 0 }),
    /gru: hiddenSize must be a positive integer, got 0/,
  );
  assert.throws(
    () => new RecurrentLayer({ cell: 'gru', inputSize: 3, hiddenSize: 4, dropout: 1 }),
    /gru: dropout must be in \[0, 1\), got 1/,
  );
});

test('MUT1 and MUT2 need inputSize = hiddenSize', () => {
  assert.throws(
    () => new MutCell(new ParamStore(), 'm', 'mut1', 3, 4),
    /m: inputSize must be equal to hiddenSize \(4\), since mut1 adds x_t to a hidden-size vector, got 3/,
  );
  assert.throws(
    () => new RecurrentLayer({ cell: 'mut2', inputSize: 5, hiddenSize: 4 }),
    /since mut2 adds x_t to a hidden-size vector/,
  );
  new RecurrentLayer({ cell: 'mut3', inputSize: 5, hiddenSize: 4 });
});

test('non-finite input is caught where it enters', () => {
  const bad = x(2, 1, 3);
  bad.data[4] = NaN;
  assert.throws(() => lstm().forward(null, bad), /lstm: x\[4\] is NaN; inputs must be finite/);
  const h0 = Tensor.zeros([2, 1, 4], 'f64');
  h0.data[1] = Infinity;
  assert.throws(() => lstm().forward(null, x(2, 1, 3), { h0 }), /lstm: h0\[1\] is Infinity; inputs must be finite/);
});

test.run();
