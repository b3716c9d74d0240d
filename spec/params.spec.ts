import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ParamStore, Tape, ops } from '../index.js';

test('parameters are views into one flat data buffer and one flat grad buffer', () => {
  const store = new ParamStore('f64');
  const w = store.add('w', [2, 3]);
  w.data.set([1, 2, 3, 4, 5, 6]);
  const b = store.add('b', [3]);
  b.data.set([7, 8, 9]);
  assert.is(store.size, 9);
  assert.equal(Array.from(store.data), [1, 2, 3, 4, 5, 6, 7, 8, 9], 'w kept its values when the store grew');
  assert.is(w.data.buffer, store.data.buffer, 'w re-pointed into the grown buffer');
  assert.is(store.offsetOf('b'), 6);
  const tape = new Tape();
  const x = ops.add(tape, w, b);
  tape.backward(ops.sum(tape, ops.mul(tape, x, x)));
  // ∂/∂w = 2(w+b), ∂/∂b = Σ_rows 2(w+b)
  assert.equal(Array.from(store.grad), [16, 20, 24, 22, 26, 30, 38, 46, 54]);
  store.zeroGrad();
  assert.ok(store.grad.every((g) => g === 0));
  assert.ok(w.grad!.every((g) => g === 0));
});

test('the store names what is wrong', () => {
  const store = new ParamStore('f32');
  store.add('w', [2]);
  assert.throws(() => store.add('w', [3]), /a parameter named w exists already/);
  assert.throws(() => store.get('v'), /no parameter named v; the store holds w/);
  assert.throws(() => store.set('w', [1, 2, 3]), /w \[2\] holds 2 values, got 3/);
  assert.throws(() => store.add('z', [2, -1]), /shape must be an array of non-negative integers, got \[2,-1\]/);
  assert.throws(() => new ParamStore('f16' as 'f32'), /dtype must be 'f32' or 'f64', got f16/);
});

test.run();
