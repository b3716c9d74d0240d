// Bad input gets an Error that names the op, the argument, what was expected and what came.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng, Tensor, ops } from '../index.js';

const f64 = (shape: number[]) => Tensor.zeros(shape, 'f64');
const f32 = (shape: number[]) => Tensor.zeros(shape, 'f32');

test('shape mismatches name the op, both shapes and the argument', () => {
  assert.throws(
    () => ops.matmul(null, f64([2, 3]), f64([4, 5])),
    /matmul: b \[4,5\] must be a matrix that has 3 rows \(the inner sizes must agree\), got a \[2,3\] has 3 columns and b has 4 rows/,
  );
  assert.throws(
    () => ops.matmul(null, f64([2, 3]), f64([2, 5]), true, true),
    /matmul: b \[2,5\]ᵀ must be a matrix that has 2 rows \(the inner sizes must agree\), got a \[2,3\]ᵀ has 2 columns and b has 5 rows/,
  );
  assert.throws(
    () => ops.matmul(null, f64([6]), f64([6, 1])),
    /matmul: a and b must be 2-D, got a \[6\] and b \[6,1\]/,
  );
  assert.throws(
    () => ops.add(null, f64([2, 3]), f64([2])),
    /add: b must be of a's shape \[2,3\] or be a vector \[3\] over its last axis, got b \[2\]/,
  );
  assert.throws(() => ops.mul(null, f64([2, 3]), f64([3, 2])), /mul: b must be of a's shape \[2,3\]/);
  assert.throws(
    () => ops.concat(null, [f64([2, 3]), f64([3, 3])]),
    /concat: parts\[1\] must be at least 1-D and share the leading axes \[2\] of parts\[0\], got \[3,3\]/,
  );
  assert.throws(
    () => ops.slice(null, f64([2, 3]), 2, 2),
    /slice: columns \[2, 4\) must be within the last axis of x \[2,3\], got at 2, width 2/,
  );
  assert.throws(
    () => ops.split(null, f64([2, 5]), [2, 2]),
    /split: widths \[2,2\] must be a split of the last axis of x \[2,5\], which is 5, got widths that add up to 4/,
  );
  assert.throws(
    () => ops.selectStep(null, f64([4, 2]), 4),
    /selectStep: t must be an integer in \[0, 4\) for x \[4,2\], got 4/,
  );
  assert.throws(
    () => ops.stack(null, [f64([2]), f64([3])]),
    /stack: items\[1\] must be of shape \[2\] like items\[0\] \(expected \[2\]\), got shape \[3\]/,
  );
  assert.throws(
    () => ops.reshape(null, f64([2, 3]), [4, 2]),
    /reshape: shape \[4,2\] must be a shape that holds 6 values like x \[2,3\] \(it holds 8 values\), got x \[2,3\] holds 6/,
  );
  assert.throws(
    () => ops.mse(null, f64([2, 3]), f64([3, 2])),
    /mse: target must be of prediction's shape \[2,3\], got \[3,2\]/,
  );
  assert.throws(() => ops.embedding(null, f64([4]), [0]), /embedding: weight must be 2-D \[rows, dim\], got \[4\]/);
  assert.throws(
    () => Tensor.from([1, 2, 3], [2, 2]),
    /Tensor.from: values must be the 4 values that shape \[2,2\] holds, got 3/,
  );
  assert.throws(
    () => new Tensor(new Float64Array(3), [2, 2]),
    /Tensor: data must be 4 values for shape \[2,2\], got 3/,
  );
});

test('mixing dtypes names the argument and both dtypes', () => {
  assert.throws(() => ops.matmul(null, f64([2, 2]), f32([2, 2])), /matmul: b must be of dtype f64 like a, got 'f32'/);
  assert.throws(() => ops.add(null, f32([2]), f64([2])), /add: b must be of dtype f32 like a, got 'f64'/);
  assert.throws(
    () => ops.concat(null, [f64([1, 2]), f32([1, 2])]),
    /concat: parts\[1\] must be of dtype f64 like parts\[0\], got 'f32'/,
  );
  assert.throws(() => ops.mse(null, f64([2]), f32([2])), /mse: target must be of dtype f64 like prediction, got 'f32'/);
  assert.throws(
    () => new Tensor([1, 2] as unknown as Float32Array, [2]),
    /Tensor: data must be a Float32Array or Float64Array, got \[1,2\]/,
  );
});

test('out-of-range and non-integer indices say which index and what came', () => {
  const w = f64([5, 2]);
  assert.throws(() => ops.embedding(null, w, [0, 5]), /embedding: indices\[1\] must be an integer in \[0, 5\), got 5/);
  assert.throws(() => ops.embedding(null, w, [1.5]), /embedding: indices\[0\] must be an integer in \[0, 5\), got 1.5/);
  assert.throws(() => ops.embedding(null, w, [-1]), /embedding: indices\[0\] must be an integer in \[0, 5\), got -1/);
  assert.throws(() => ops.embedding(null, w, [1, 2, 3], [2, 2]), /embedding: indices must be 4 indices, got 3/);
  const z = f64([3, 4]);
  assert.throws(
    () => ops.softmaxCrossEntropy(null, z, [0, 4, 1]),
    /softmaxCrossEntropy: targets\[1\] must be an integer in \[0, 4\), got 4/,
  );
  assert.throws(
    () => ops.softmaxCrossEntropy(null, z, [0, NaN, 1]),
    /targets\[1\] must be an integer in \[0, 4\), got NaN/,
  );
  assert.throws(
    () => ops.softmaxCrossEntropy(null, z, [0, 1]),
    /softmaxCrossEntropy: targets must be 3 indices, got 2/,
  );
  assert.throws(
    () => ops.softmaxCrossEntropy(null, z, [0, 1, 2], { mask: [1, 0] }),
    /mask must be one weight per row \(3 for logits \[3,4\]\), got 2/,
  );
  assert.throws(
    () => ops.softmaxCrossEntropy(null, z, [0, 1, 2], { reduction: 'max' as 'sum' }),
    /reduction must be 'mean' or 'sum', got 'max'/,
  );
});

test('other bad arguments', () => {
  const x = f64([2, 2]);
  assert.throws(
    () => ops.dropout(null, x, { p: 1, rng: new Rng(1), training: true }),
    /dropout: p must be a probability in \[0, 1\), got 1/,
  );
  assert.throws(() => ops.scale(null, x, NaN), /affine: scale and shift must be finite numbers, got scale NaN/);
  assert.throws(
    () => ops.mean(null, f64([0])),
    /mean: x must be a tensor with at least one element, got an empty tensor/,
  );
  assert.throws(() => ops.matmul(null, x, [1, 2] as unknown as Tensor), /matmul: b must be a Tensor, got \[1,2\]/);
});

test.run();
