import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Tape, Tensor, ops } from '../index.js';

test('a 10,000-step chain backpropagates without stack overflow, matching the closed form', () => {
  // x_{k+1} = x_k ⊙ w for n steps, L = x_n = x_0 wⁿ:  ∂L/∂w = n x_0 wⁿ⁻¹,  ∂L/∂x_0 = wⁿ.
  const n = 10_000,
    w0 = 1.0001,
    x0 = 0.75;
  const w = Tensor.from([w0], [1], 'f64', { requiresGrad: true });
  const x = Tensor.from([x0], [1], 'f64', { requiresGrad: true });
  const tape = new Tape();
  let h = x;
  for (let k = 0; k < n; k++) h = ops.mul(tape, h, w);
  const loss = ops.sum(tape, h);
  assert.is(tape.length, n + 1);
  tape.backward(loss);
  const dw = n * x0 * w0 ** (n - 1),
    dx = w0 ** n;
  assert.ok(Math.abs(w.grad![0] - dw) / dw < 1e-10, `∂L/∂w ${w.grad![0]} vs ${dw}`);
  assert.ok(Math.abs(x.grad![0] - dx) / dx < 1e-10, `∂L/∂x0 ${x.grad![0]} vs ${dx}`);
});

test('a value used twice receives both gradient contributions', () => {
  // y = x ⊙ x + x:  ∂y/∂x = 2x + 1
  const x = Tensor.from([0.5, -2], [2], 'f64', { requiresGrad: true });
  const tape = new Tape();
  const loss = ops.sum(tape, ops.add(tape, ops.mul(tape, x, x), x));
  tape.backward(loss);
  assert.equal(Array.from(x.grad!), [2, -3]);
});

test('no tape, or no input that wants a gradient, records nothing', () => {
  const x = Tensor.from([1, 2], [2], 'f64');
  const tape = new Tape();
  const y = ops.tanh(tape, x);
  assert.is(tape.length, 0);
  assert.is(y.requiresGrad, false);
  const p = Tensor.from([1, 2], [2], 'f64', { requiresGrad: true });
  const z = ops.tanh(null, p);
  assert.is(z.requiresGrad, false);
});

test('inputs that do not want a gradient get none', () => {
  const a = Tensor.from([1, 2, 3, 4], [2, 2], 'f64', { requiresGrad: true });
  const b = Tensor.from([5, 6, 7, 8], [2, 2], 'f64');
  const tape = new Tape();
  tape.backward(ops.sum(tape, ops.matmul(tape, a, b)));
  assert.ok(a.grad !== null);
  assert.is(b.grad, null);
});

test('reset forgets the entries; backward checks its root', () => {
  const x = Tensor.from([1, 2], [2], 'f64', { requiresGrad: true });
  const tape = new Tape();
  const y = ops.tanh(tape, x);
  assert.throws(
    () => tape.backward(y),
    /root must be a scalar loss \(one element\) when no seed is given, got shape \[2\]/,
  );
  tape.backward(y, Float64Array.of(1, 1));
  assert.ok(Math.abs(x.grad![0] - (1 - Math.tanh(1) ** 2)) < 1e-15);
  assert.throws(() => tape.backward(y, Float64Array.of(1)), /seed must be 2 values like root \[2\]/);
  tape.reset();
  assert.is(tape.length, 0);
  const bad = Tensor.from([NaN], [], 'f64', { requiresGrad: true });
  assert.throws(() => new Tape().backward(bad), /Tape.backward: the loss is NaN; it must be finite/);
});

test.run();
