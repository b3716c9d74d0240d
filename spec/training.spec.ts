// Training machinery: clipping, schedules, initialisers, sequence losses, the trainer's
// guard against NaN, truncated BPTT.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gradcheck, ops, ParamStore, randomTensor, Rng, Tape, Tensor } from '../index.js';
import { Linear, RecurrentLayer } from '../cells/index.js';
import { clipGradNorm, clipGradNormPerTensor, clipGradValue } from '../train/clip.js';
import { ExponentialDecay, HalveOnPlateau, StepDecay } from '../train/schedule.js';
import { initializeLayer, randomOrthogonal } from '../train/init.js';
import { lastStep, lastStepCrossEntropy, stepCrossEntropy } from '../train/losses.js';
import { makeOptimizer, SGD } from '../train/optimizers.js';
import { NonFiniteStepError, Trainer } from '../train/trainer.js';
import { CharLM } from '../models/charLM.js';
import { maxAbsDiff } from './helpers.js';

test('clipping: by value clamps, by norm scales to the bound and returns the norm before, non-finite norms can throw', () => {
  const g = [Float64Array.of(3, -4), Float64Array.of(12)];
  assert.is(clipGradNorm(g, 6.5), 13);
  assert.ok(Math.abs(Math.hypot(...g[0], ...g[1]) - 6.5) < 1e-6);
  const small = [Float64Array.of(0.3, 0.4)];
  assert.is(clipGradNorm(small, 1), 0.5);
  assert.equal([...small[0]], [0.3, 0.4], 'below the bound nothing changes');
  const v = [Float64Array.of(-2, 0.5, 9)];
  clipGradValue(v, 1);
  assert.equal([...v[0]], [-1, 0.5, 1]);
  assert.throws(
    () => clipGradNorm([Float64Array.of(1, NaN)], 1, { errorIfNonfinite: true }),
    /the total gradient norm is NaN, so it cannot be clipped/,
  );
  assert.throws(() => clipGradNorm(g, 0), /maxNorm must be a finite number > 0, got 0/);
  const store = new ParamStore('f64');
  const a = store.add('a', [2]),
    b = store.add('b', [1]);
  store.allocate();
  a.grad!.set([3, 4]);
  b.grad!.set([0.5]);
  const norms = clipGradNormPerTensor(store, 1);
  assert.equal(
    [...norms],
    [
      ['a', 5],
      ['b', 0.5],
    ],
  );
  assert.ok(maxAbsDiff(store.grad, [0.6, 0.8, 0.5]) < 1e-6);
});

test('schedules: step decay, exponential decay, halve after N evaluations without improvement', () => {
  const store = new ParamStore('f64');
  store.add('w', [1]);
  store.allocate();
  const opt = new SGD(store, { lr: 1 });
  const step = new StepDecay(1, 3, 0.5);
  const lrs: number[] = [];
  for (let k = 0; k < 7; k++) {
    opt.step();
    step.afterStep(opt);
    lrs.push(opt.lr);
  }
  assert.equal(lrs, [1, 1, 0.5, 0.5, 0.5, 0.25, 0.25]);
  const exp = new ExponentialDecay(1, 0.9);
  exp.afterStep(opt);
  assert.ok(Math.abs(opt.lr - 0.9 ** 7) < 1e-15);
  opt.lr = 1;
  const plateau = new HalveOnPlateau(2);
  for (const loss of [5, 4, 4.5, 4.2, 3, 3, 3, 3]) plateau.afterEvaluation(opt, loss);
  // 4.5, 4.2: two bad evaluations → 0.5; 3 improves; 3, 3: two bad → 0.25; one more bad so far.
  assert.is(opt.lr, 0.25);
  assert.equal(plateau.state(), { best: 3, bad: 1 });
});

test('initialisers: orthogonal recurrent blocks, Xavier bounds, the forget-gate bias', () => {
  const Q = new Float64Array(36);
  randomOrthogonal(Q, 6, new Rng(3));
  for (let i = 0; i < 6; i++)
    for (let j = 0; j < 6; j++) {
      let dot = 0;
      for (let r = 0; r < 6; r++) dot += Q[r * 6 + i] * Q[r * 6 + j];
      assert.ok(Math.abs(dot - (i === j ? 1 : 0)) < 1e-12, `QᵀQ[${i},${j}] = ${dot}`);
    }
  const layer = new RecurrentLayer({ cell: 'lstm', inputSize: 3, hiddenSize: 4, dtype: 'f64' });
  initializeLayer(layer, new Rng(1), { weights: 'xavier', orthogonal: true, forgetBias: 1 });
  const params = new Map(layer.cells[0][0].namedParameters());
  const W = params.get('W')!;
  for (let block = 0; block < 4; block++) {
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) {
        let dot = 0;
        for (let r = 0; r < 4; r++) dot += W.data[(3 + r) * 16 + block * 4 + i] * W.data[(3 + r) * 16 + block * 4 + j];
        assert.ok(Math.abs(dot - (i === j ? 1 : 0)) < 1e-12, `gate block ${block} is orthogonal`);
      }
  }
  const bound = Math.sqrt(6 / (7 + 4));
  for (let r = 0; r < 3; r++) for (let c = 0; c < 16; c++) assert.ok(Math.abs(W.data[r * 16 + c]) <= bound);
  const bIh = params.get('b_ih')!,
    bHh = params.get('b_hh')!;
  assert.equal([...bIh.data.subarray(0, 4)], [1, 1, 1, 1], 'forget block (our f, the first) of b_ih');
  assert.equal([...bIh.data.subarray(4)], new Array(12).fill(0), 'Xavier sets the other biases to 0');
  assert.equal([...bHh.data], new Array(16).fill(0));
});

test('sequence losses: last step per length, masked steps; gradients check', () => {
  const rng = new Rng(2);
  const y = randomTensor(rng, [4, 3, 5], 'f64', 'y');
  const last = lastStep(null, y, [4, 1, 2]);
  assert.equal([...last.data.subarray(0, 5)], [...y.data.subarray((3 * 3 + 0) * 5, (3 * 3 + 1) * 5)]);
  assert.equal([...last.data.subarray(5, 10)], [...y.data.subarray((0 * 3 + 1) * 5, (0 * 3 + 2) * 5)]);
  assert.equal([...last.data.subarray(10, 15)], [...y.data.subarray((1 * 3 + 2) * 5, (1 * 3 + 3) * 5)]);
  const targets = [0, 1, 4, 2, 3, 1, 0, 0, 4, 2, 2, 1];
  const mask = [1, 1, 1, 1, 0, 1, 1, 0, 0, 1, 0, 0];
  const report = gradcheck(
    (t) => ops.add(t, stepCrossEntropy(t, y, targets, { mask }), lastStepCrossEntropy(t, y, [1, 3, 4], [4, 1, 2])),
    [y],
  );
  assert.ok(report.ok, JSON.stringify(report.inputs));
  assert.throws(() => lastStep(null, y, [4, 0, 2]), /lastStep: lengths\[1\] must be an integer in \[1, 4\], got 0/);
});

test("lastStep reads a batch-first layer's output by its layout tag, and refuses a flag that contradicts it", () => {
  const timeMajor = new RecurrentLayer({ cell: 'gru', inputSize: 3, hiddenSize: 4, dtype: 'f64', seed: 2 });
  const batchFirst = new RecurrentLayer({
    cell: 'gru',
    inputSize: 3,
    hiddenSize: 4,
    dtype: 'f64',
    seed: 2,
    batchFirst: true,
  });
  const T = 5,
    B = 3,
    lengths = [5, 2, 4];
  const x = Tensor.zeros([T, B, 3], 'f64');
  new Rng(4).fillUniform(x.data, -1, 1);
  const xb = Tensor.zeros([B, T, 3], 'f64');
  for (let t = 0; t < T; t++)
    for (let b = 0; b < B; b++) for (let i = 0; i < 3; i++) xb.data[(b * T + t) * 3 + i] = x.data[(t * B + b) * 3 + i];
  const yt = timeMajor.forward(null, x, { lengths }).y,
    yb = batchFirst.forward(null, xb, { lengths }).y;
  assert.is(yb.layout, 'batch-first');
  const expected = [...lastStep(null, yt, lengths).data];
  assert.equal([...lastStep(null, yb, lengths).data], expected, 'the tag picks the batch-first rows');
  const store = new ParamStore('f64');
  const head = new Linear(store, 'head', 4, 2);
  store.allocate();
  head.initialize(new Rng(1));
  assert.is(head.forward(null, yb).layout, 'batch-first', 'Linear keeps the tag');
  assert.throws(
    () => lastStep(null, yb, lengths, { batchFirst: false }),
    /lastStep: batchFirst must be true for this y \(the output of a batch-first layer\), got false/,
  );
  const untagged = Tensor.from(yb.data, yb.shape, 'f64');
  assert.equal(
    [...lastStep(null, untagged, lengths, { batchFirst: true }).data],
    expected,
    'an untagged tensor with the flag',
  );
});

function tinyModel() {
  const store = new ParamStore('f64');
  const w = store.add('w', [3]);
  store.allocate();
  w.data.set([0.5, -1, 2]);
  return { store, w };
}

test('a NaN loss or gradient stops training with the step and the first tensor, or is skipped; weights never become NaN', () => {
  const { store, w } = tinyModel();
  const trainer = new Trainer({ optimizer: makeOptimizer('sgd', store, { lr: 0.1 }) });
  const x = Tensor.from([1, 2, 3], [3], 'f64');
  const good = (tape: Tape) => ops.sum(tape, ops.mul(tape, w, x));
  assert.is(trainer.step(good).step, 1);
  const before = [...w.data];
  const nanLoss = (tape: Tape) => ops.sum(tape, ops.mul(tape, w, Tensor.from([1, NaN, 3], [3], 'f64')));
  try {
    trainer.step(nanLoss);
    assert.unreachable('a NaN loss must stop training');
  } catch (err) {
    assert.instance(err, NonFiniteStepError);
    assert.is((err as NonFiniteStepError).step, 2);
    assert.match((err as Error).message, /step 2: the loss is NaN; training stopped/);
  }
  // A finite loss (1e308) whose gradient overflows: ∂/∂w₁ of w₁²·1e308 is −2e308 = −Infinity.
  const infGrad = (tape: Tape) =>
    ops.sum(tape, ops.mul(tape, ops.mul(tape, w, w), Tensor.from([0, 1e308, 0], [3], 'f64')));
  assert.throws(() => trainer.step(infGrad), /step 2: the gradient of w\[1\] is -Infinity/);
  assert.equal([...w.data], before, 'the weights are untouched');
  const skipping = new Trainer({ optimizer: makeOptimizer('sgd', store, { lr: 0.1 }), onNonFinite: 'skip' });
  const r = skipping.step(nanLoss);
  assert.is(r.skipped, true);
  assert.is(skipping.skipped, 1);
  assert.equal([...w.data], before);
  // An update that overflows: finite gradients, a step to Infinity. It is undone and reported.
  const huge = new Trainer({ optimizer: makeOptimizer('sgd', store, { lr: 1e308 }) });
  assert.throws(
    () => huge.step((tape) => ops.sum(tape, ops.scale(tape, w, 1e10))),
    /the update of w\[0\] is -Infinity/,
  );
  assert.equal([...w.data], before);
});

test("a skipped update is undone whole: Adam's moments and step count too, so later steps match a run that never tried it", () => {
  const run = (tryOverflow: boolean) => {
    const store = new ParamStore('f64');
    const w = store.add('w', [2]);
    store.allocate();
    w.data.set([0.5, -1]);
    const trainer = new Trainer({ optimizer: makeOptimizer('adam', store, { lr: 0.1 }), onNonFinite: 'skip' });
    const x = Tensor.from([1, 2], [2], 'f64');
    const good = (tape: Tape) => ops.sum(tape, ops.mul(tape, ops.mul(tape, w, w), x));
    trainer.step(good);
    if (tryOverflow) {
      const lr = trainer.optimizer.lr;
      trainer.optimizer.lr = 1e308;
      assert.is(trainer.step((tape) => ops.sum(tape, ops.scale(tape, w, 1e10))).skipped, true);
      assert.is(trainer.optimizer.stepCount, 1);
      trainer.optimizer.lr = lr;
    }
    for (let k = 0; k < 3; k++) trainer.step(good);
    return { w: [...w.data], state: [...trainer.optimizer.state()].map(([name, b]) => [name, [...b]]) };
  };
  assert.equal(run(true), run(false));
});

test('truncated BPTT with k2 ≥ T gives the full gradient; k1 = T gives it bit for bit', () => {
  const text = 'abcabdabcabe'.repeat(4);
  const lm = new CharLM({
    alphabet: 'abcde',
    layer: { cell: 'lstm', hiddenSize: 6 },
    embeddingDim: 4,
    dtype: 'f64',
    seed: 3,
  });
  const T = 12,
    B = 3;
  const tokens = lm.encode(text).slice(0, (T + 1) * B);
  const grads = (k1: number, k2: number) => {
    lm.store.zeroGrad();
    const r = lm.chunkGradients(tokens, T, B, null, k1, k2);
    return { loss: r.loss, grad: [...lm.store.grad] };
  };
  const full = grads(T, T);
  // The same gradient straight from one forward and backward.
  lm.store.zeroGrad();
  const tape = new Tape();
  const { logits } = lm.forward(tape, tokens.slice(0, T * B), T, B, null);
  const loss = ops.softmaxCrossEntropy(tape, logits, tokens.slice(B));
  tape.backward(loss);
  assert.ok(Math.abs(full.loss - loss.item()) < 1e-14);
  assert.ok(maxAbsDiff(full.grad, lm.store.grad) < 1e-14);
  assert.equal(grads(T, 100).grad, full.grad, 'k1 = T: one window, bit for bit');
  for (const k1 of [1, 4, 5]) {
    const tr = grads(k1, 100);
    assert.ok(Math.abs(tr.loss - full.loss) < 1e-12, `k1 ${k1}: loss`);
    assert.ok(maxAbsDiff(tr.grad, full.grad) < 1e-12, `k1 ${k1}, k2 ≥ T: ${maxAbsDiff(tr.grad, full.grad)}`);
  }
  const truncated = grads(4, 4);
  assert.ok(maxAbsDiff(truncated.grad, full.grad) > 1e-6, 'k2 < T cuts the gradient');
  assert.ok(Math.abs(truncated.loss - full.loss) < 1e-12, 'but not the loss');
  assert.throws(() => grads(4, 6), /k2 must be a multiple of k1 \(4\) or at least T \(12\), got 6/);
});

test('sampling is reproducible for a seed, honours the prime, and is greedy at top-k 1 or temperature 0', () => {
  const lm = new CharLM({ alphabet: 'ab cd', layer: { cell: 'gru', hiddenSize: 5 }, seed: 2 });
  const a = lm.sample({ length: 30, temperature: 1.3, seed: 9, prime: 'ab' });
  assert.is(a, lm.sample({ length: 30, temperature: 1.3, seed: 9, prime: 'ab' }));
  assert.is.not(a, lm.sample({ length: 30, temperature: 1.3, seed: 10, prime: 'ab' }));
  assert.ok(a.startsWith('ab') && a.length === 32);
  assert.is(
    lm.sample({ length: 20, topK: 1, seed: 1, prime: 'c' }),
    lm.sample({ length: 20, topK: 1, seed: 2, prime: 'c' }),
    'top-1 is greedy: no randomness left',
  );
  assert.throws(() => lm.sample({ length: 5, prime: 'x' }), /character "x" at 0 must be in the alphabet/);
  const greedy = lm.sample({ length: 20, temperature: 0, seed: 1, prime: 'c' });
  assert.is(
    greedy,
    lm.sample({ length: 20, topK: 1, seed: 1, prime: 'c' }),
    'temperature 0 is greedy decoding, as top-1 is',
  );
  assert.is(greedy, lm.sample({ length: 20, temperature: 0, seed: 7, prime: 'c' }), 'and needs no randomness');
  assert.throws(
    () => lm.sample({ length: 5, temperature: -1 }),
    /temperature must be a number ≥ 0 \(0: always the likeliest character\), got -1/,
  );
});

test.run();
