// Losses and dropout: values and edge cases (PyTorch's numbers are checked in golden.spec.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng, Tape, Tensor, ops } from '../index.js';

test('cross-entropy stays finite for huge logits and matches log-sum-exp', () => {
  const z = Tensor.from([1000, 0, -1000, 999], [2, 2], 'f64');
  const loss = ops.softmaxCrossEntropy(null, z, [1, 0], { reduction: 'sum' });
  // row 0: log(e^1000 + e^0) − 0 = 1000; row 1: log(e^-1000 + e^999) + 1000 = 1999
  assert.ok(Math.abs(loss.item() - 2999) < 1e-9, `${loss.item()}`);
});

test('masked mean divides by the mask weight; padding rows get no gradient', () => {
  const z = Tensor.from([0.1, 0.2, 0.3, 5, -5, 0.7], [3, 2], 'f64', { requiresGrad: true });
  const tape = new Tape();
  const loss = ops.softmaxCrossEntropy(tape, z, [0, 1, 1], { mask: [1, 0, 1] });
  const full = ops.softmaxCrossEntropy(null, z, [0, 1, 1], { reduction: 'sum', mask: [1, 0, 1] }).item();
  assert.ok(Math.abs(loss.item() - full / 2) < 1e-15);
  tape.backward(loss);
  assert.equal(Array.from(z.grad!.subarray(2, 4)), [0, 0]);
  const allPad = ops.softmaxCrossEntropy(null, z, [0, 1, 1], { mask: [0, 0, 0] });
  assert.is(allPad.item(), 0);
});

test('mse is the mean squared difference', () => {
  const p = Tensor.from([1, 2, 3], [3], 'f64'),
    y = Tensor.from([1, 0, 0], [3], 'f64');
  assert.is(ops.mse(null, p, y).item(), (0 + 4 + 9) / 3);
});

test('dropout keeps 1 − p of the elements scaled by 1/(1 − p), and is the identity in evaluation', () => {
  const x = Tensor.from(new Array(10_000).fill(1), [100, 100], 'f64');
  const y = ops.dropout(null, x, { p: 0.25, rng: new Rng(3), training: true });
  let kept = 0;
  for (const v of y.data) {
    assert.ok(v === 0 || Math.abs(v - 4 / 3) < 1e-15);
    if (v !== 0) kept++;
  }
  assert.ok(Math.abs(kept / 10_000 - 0.75) < 0.02, `kept ${kept}`);
  assert.is(ops.dropout(null, x, { p: 0.25, rng: new Rng(3), training: false }), x);
  const again = ops.dropout(null, x, { p: 0.25, rng: new Rng(3), training: true });
  assert.equal(Array.from(again.data), Array.from(y.data), 'same seed, same mask');
});

test.run();
