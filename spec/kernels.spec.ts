import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as k from '../kernels/index.js';
import { maxAbsDiff } from './helpers.js';

test('sigmoid is exact at 0, reaches its limits at ±1000 and ±Infinity, and keeps its relative accuracy far left', () => {
  const y = new Float64Array(5);
  k.sigmoidForward(y, Float64Array.of(0, 1000, -1000, Infinity, -Infinity), 5);
  assert.equal(Array.from(y), [0.5, 1, 0, 1, 0]);
  assert.ok(Math.abs(k.sigmoidScalar(2) - 1 / (1 + Math.exp(-2))) < 1e-16);
  // Left of 0 the reference is e^x / (1 + e^x), which never overflows.
  for (const x of [-1, -30, -700]) {
    const reference = Math.exp(x) / (1 + Math.exp(x));
    assert.ok(Math.abs(k.sigmoidScalar(x) - reference) <= 1e-15 * reference, `x ${x}`);
  }
});

test('activation backward kernels add into dx', () => {
  const dx = Float64Array.of(1, 1);
  k.tanhBackward(dx, Float64Array.of(0.5, -0.5), Float64Array.of(2, 2), 2);
  assert.equal(Array.from(dx), [1 + 2 * 0.75, 1 + 2 * 0.75]);
  const dr = Float64Array.of(0, 0);
  k.reluBackward(dr, Float64Array.of(0, 3), Float64Array.of(5, 5), 2);
  assert.equal(Array.from(dr), [0, 5]);
});

test('rowSum sums the rows, with alpha and beta', () => {
  const out = Float64Array.of(10, 20, 30);
  k.rowSum(out, Float64Array.of(1, 2, 3, 4, 5, 6), 2, 3, 1, 0);
  assert.equal(Array.from(out), [5, 7, 9]);
  k.rowSum(out, Float64Array.of(1, 2, 3, 4, 5, 6), 2, 3, -1, 1);
  assert.equal(Array.from(out), [0, 0, 0]);
});

test('rowSum over a block of a wider buffer: offsets, a leading dimension, columns past a multiple of four', () => {
  const rows = 5,
    cols = 11,
    lda = 13,
    offA = 2,
    offOut = 1;
  const a = Float64Array.from({ length: offA + rows * lda }, (_, q) => ((q * 7) % 17) - 8);
  const out = new Float64Array(offOut + cols + 1).fill(3);
  k.rowSum(out, a, rows, cols, 2, 1, offA, lda, offOut);
  for (let j = 0; j < cols; j++) {
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += a[offA + r * lda + j];
    assert.is(out[offOut + j], 3 + 2 * sum, `column ${j}`);
  }
  assert.is(out[0], 3);
  assert.is(out[offOut + cols], 3);
});

test('scatterAddRows adds a repeated row twice', () => {
  const dW = new Float64Array(6);
  k.scatterAddRows(dW, Float64Array.of(1, 2, 3, 4, 5, 6), Int32Array.of(1, 1, 0), 3, 2);
  assert.equal(Array.from(dW), [5, 6, 4, 6, 0, 0]);
});

test('softmax cross-entropy backward is p − onehot, scaled per row', () => {
  const probs = new Float64Array(4),
    loss = new Float64Array(2);
  k.softmaxCrossEntropyForward(probs, loss, Float64Array.of(0, 0, Math.log(3), 0), Int32Array.of(1, 0), 2, 2);
  assert.ok(maxAbsDiff(probs, [0.5, 0.5, 0.75, 0.25]) < 1e-15);
  assert.ok(Math.abs(loss[0] - Math.log(2)) < 1e-15 && Math.abs(loss[1] - Math.log(4 / 3)) < 1e-15);
  const d = new Float64Array(4);
  k.softmaxCrossEntropyBackward(d, probs, Int32Array.of(1, 0), Float64Array.of(1, 0), 2, 2, 2);
  assert.equal(Array.from(d), [1, -1, 0, 0]);
});

test.run();
