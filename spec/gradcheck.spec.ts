import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GRADCHECK_DEFAULTS, Tape, Tensor, gradcheck, ops, randomTensor, weightedSum, Rng } from '../index.js';
import type { TapeEntry } from '../core/tape.js';

/** y = x³ with a deliberately wrong backward (3x instead of 3x²): gradcheck must catch it. */
function brokenCube(tape: Tape | null, x: Tensor): Tensor {
  const out = Tensor.zeros(x.shape, x.dtype, { requiresGrad: tape !== null && x.requiresGrad });
  for (let q = 0; q < x.size; q++) out.data[q] = x.data[q] ** 3;
  if (tape !== null && out.requiresGrad) tape.push(brokenCubeBackward, out, [x], null);
  return out;
}
function brokenCubeBackward(e: TapeEntry<null>): void {
  const x = e.inputs[0];
  const g = x.ensureGrad();
  for (let q = 0; q < x.size; q++) g[q] += e.out.grad![q] * 3 * x.data[q];
}

test('gradcheck reports a wrong backward, with the element and both values', () => {
  const x = Tensor.from([0.5, -1.5, 2], [3], 'f64', { name: 'x' });
  const report = gradcheck((t) => ops.sum(t, brokenCube(t, x)), [x]);
  assert.is(report.ok, false);
  const r = report.inputs[0];
  assert.is(r.name, 'x');
  assert.is(r.failures, 3);
  // relative errors: x=0.5 → |1.5−0.75|/1.5 = 0.5; x=−1.5 → |−4.5−6.75|/6.75 ≈ 1.67; x=2 → |6−12|/12 = 0.5
  assert.is(r.worstIndex, 1);
  assert.ok(Math.abs(r.analytic - -4.5) < 1e-12);
  assert.ok(Math.abs(r.numeric - 6.75) < 1e-8);
  assert.ok(Math.abs(r.maxRelErr - 11.25 / 6.75) < 1e-8);
});

test('gradcheck passes a right computation and leaves inputs as they were', () => {
  const rng = new Rng(4);
  const a = randomTensor(rng, [3, 4], 'f64', 'a');
  const r = randomTensor(rng, [3, 4], 'f64', 'r');
  const before = Array.from(a.data);
  const report = gradcheck((t) => weightedSum(t, ops.tanh(t, a), r), [a]);
  assert.ok(report.ok);
  assert.equal(Array.from(a.data), before);
  assert.is(a.requiresGrad, false);
  assert.is(a.grad, null);
  assert.is(report.eps, 1e-6);
  assert.is(report.atol, 1e-5);
  assert.is(report.rtol, 1e-3);
});

test('float32 with eps 1e-6 fails where float32 with eps 1e-3 passes', () => {
  const rng = new Rng(8);
  const x = randomTensor(rng, [4, 5], 'f32', 'x');
  const r = randomTensor(rng, [4, 5], 'f32', 'r');
  const loss = (t: Tape | null) => weightedSum(t, ops.sigmoid(t, x), r);
  const good = gradcheck(loss, [x]);
  assert.is(good.eps, GRADCHECK_DEFAULTS.f32.eps);
  assert.ok(good.ok, `eps 1e-3: ${good.maxRelErr}`);
  const bad = gradcheck(loss, [x], { eps: 1e-6 });
  assert.is(bad.ok, false);
  assert.ok(bad.maxRelErr > 0.05, `eps 1e-6 relative error ${bad.maxRelErr}`);
});

test('gradcheck refuses non-finite inputs, mixed dtypes and non-scalar losses', () => {
  const x = Tensor.from([1, NaN], [2], 'f64', { name: 'w' });
  assert.throws(
    () => gradcheck((t) => ops.sum(t, x), [x]),
    /gradcheck: w\[1\] is NaN; gradcheck needs finite input values/,
  );
  const inf = Tensor.from([Infinity], [1], 'f64');
  assert.throws(() => gradcheck((t) => ops.sum(t, inf), [inf]), /inputs\[0\]\[0\] is Infinity/);
  const a = Tensor.from([1], [1], 'f64'),
    b = Tensor.from([1], [1], 'f32');
  assert.throws(
    () => gradcheck((t) => ops.sum(t, a), [a, b]),
    /inputs\[1\] must be of dtype f64 like inputs\[0\], got 'f32'/,
  );
  const v = Tensor.from([1, 2], [2], 'f64');
  assert.throws(() => gradcheck((t) => ops.tanh(t, v), [v]), /loss must return a one-element Tensor, got shape \[2\]/);
  const z = Tensor.from([1], [1], 'f64');
  assert.throws(
    () => gradcheck((t) => ops.scale(t, ops.sum(t, z), 1), [z], { eps: 0 }),
    /eps must be a finite number > 0, got 0/,
  );
});

test('gradcheck catches a loss that turns non-finite under perturbation', () => {
  // A loss defined only for p ≤ 0.5, checked at p = 0.5: the step p + eps leaves its domain.
  const p = Tensor.from([0.5], [1], 'f64', { name: 'p' });
  const edge = (t: Tape | null) => (p.data[0] > 0.5 ? Tensor.from([NaN], [], 'f64') : ops.sum(t, p));
  assert.throws(() => gradcheck(edge, [p]), /gradcheck: the loss in p\[0\] \+ eps is NaN; it must be finite/);
});

/** y = 2x with a backward that hands back NaN at one element (or everywhere). */
function nanBackward(at: number | 'all') {
  const backward = (e: TapeEntry<null>): void => {
    const x = e.inputs[0],
      g = x.ensureGrad();
    for (let q = 0; q < x.size; q++) g[q] += at === 'all' || q === at ? NaN : 2 * e.out.grad![q];
  };
  return (tape: Tape | null, x: Tensor): Tensor => {
    const out = Tensor.zeros(x.shape, x.dtype, { requiresGrad: tape !== null && x.requiresGrad });
    for (let q = 0; q < x.size; q++) out.data[q] = 2 * x.data[q];
    if (tape !== null && out.requiresGrad) tape.push(backward, out, [x], null);
    return out;
  };
}

test('a NaN from the backward is a failure, reported at its element, never a pass', () => {
  for (const [at, failures] of [
    [1, 1],
    ['all', 3],
  ] as const) {
    const x = Tensor.from([0.5, -1.5, 2], [3], 'f64', { name: 'x' });
    const op = nanBackward(at);
    const report = gradcheck((t) => ops.sum(t, op(t, x)), [x]);
    assert.is(report.ok, false, `NaN at ${at}`);
    assert.is(report.inputs[0].failures, failures);
    assert.is(report.inputs[0].worstIndex, at === 'all' ? 0 : 1);
    assert.ok(Number.isNaN(report.inputs[0].analytic));
    assert.ok(Number.isNaN(report.maxRelErr));
  }
});

test('a step that rounds away (x ± eps stored as x) is an error, not a 0/0 pass', () => {
  const big = Tensor.from([1e8, 1], [2], 'f32', { name: 'w' });
  assert.throws(
    () => gradcheck((t) => ops.sum(t, ops.mul(t, big, big)), [big], { eps: 1e-3 }),
    (err: Error) =>
      err.name === 'ArgumentError' &&
      /gradcheck: eps must be large enough that w\[0\] ± eps differ in f32 \(w\[0\] is 100000000\), got 0.001/.test(
        err.message,
      ),
  );
  const tiny = Tensor.from([1], [1], 'f64', { name: 'v' });
  assert.throws(
    () => gradcheck((t) => ops.sum(t, tiny), [tiny], { eps: 1e-17 }),
    /eps must be large enough that v\[0\] ± eps differ in f64 \(v\[0\] is 1\), got 1e-17/,
  );
});

test.run();
