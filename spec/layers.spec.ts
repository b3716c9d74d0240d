// Recurrent layers: fused against unfused, step by step against whole sequence, padded
// batches, dropout, parameter counts, the long-delay recurrence, workspaces.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ops, randomTensor, Rng, Tape, Tensor } from '../index.js';
import { RecurrentLayer, type LayerOptions, type LayerOutput } from '../cells/layer.js';
import { maxAbsDiff } from './helpers.js';

type Spec = Omit<LayerOptions, 'inputSize' | 'hiddenSize'>;

interface Run {
  y: number[];
  h: number[];
  c: number[] | null;
  grads: number[];
  dx: number[];
  dh0: number[];
}

/** Forward, the loss Σ y⊙r_y + Σ h⊙r_h (+ Σ c⊙r_c), backward; everything as plain arrays. */
function run(
  layer: RecurrentLayer,
  x: Tensor,
  h0: Tensor,
  c0: Tensor | undefined,
  opts: { lengths?: number[]; build?: 'fused' | 'unfused' },
  seed = 5,
): Run {
  const rng = new Rng(seed);
  layer.store.zeroGrad();
  for (const t of [x, h0, c0]) t?.zeroGrad();
  const tape = new Tape();
  const out = layer.forward(tape, x, { h0, c0, lengths: opts.lengths, build: opts.build });
  tape.backward(weightedLoss(tape, out, rng));
  return {
    y: [...out.y.data],
    h: [...out.h.data],
    c: out.c === null ? null : [...out.c.data],
    grads: [...layer.store.grad],
    dx: [...x.grad!],
    dh0: [...h0.grad!],
  };
}

function weightedLoss(tape: Tape, out: LayerOutput, rng: Rng): Tensor {
  const w = (t: Tensor) => ops.sum(tape, ops.mul(tape, t, randomTensor(rng, t.shape, t.dtype)));
  let loss = ops.add(tape, w(out.y), w(out.h));
  if (out.c !== null) loss = ops.add(tape, loss, w(out.c));
  return loss;
}

function setup(spec: Spec, T = 5, B = 3, I = 4, H = 5, seed = 1) {
  const layer = new RecurrentLayer({ inputSize: I, hiddenSize: H, dtype: 'f64', seed, ...spec });
  const rng = new Rng(seed + 100);
  const D = spec.bidirectional ? 2 : 1,
    L = spec.numLayers ?? 1;
  const x = randomTensor(rng, spec.batchFirst ? [B, T, I] : [T, B, I], 'f64');
  x.requiresGrad = true;
  const h0 = randomTensor(rng, [L * D, B, H], 'f64');
  h0.requiresGrad = true;
  const c0 = spec.cell === 'lstm' ? randomTensor(rng, [L * D, B, H], 'f64') : undefined;
  if (c0) c0.requiresGrad = true;
  return { layer, x, h0, c0 };
}

const fusable: Spec[] = [
  { cell: 'rnn' },
  { cell: 'rnn', nonlinearity: 'relu' },
  { cell: 'rnn', nonlinearity: 'sigmoid' },
  { cell: 'rnn', delay: 3 },
  { cell: 'lstm' },
  { cell: 'lstm', variant: 'peephole' },
  { cell: 'lstm', variant: 'cifg' },
  { cell: 'lstm', variant: 'nfg' },
  { cell: 'lstm', variant: 'nig' },
  { cell: 'lstm', variant: 'nog' },
  { cell: 'lstm', variant: 'niaf' },
  { cell: 'lstm', variant: 'noaf' },
  { cell: 'lstm', variant: 'fgr' },
  { cell: 'gru' },
  { cell: 'gru', resetAfter: false },
  { cell: 'gru', updateGate: 'writes' },
  { cell: 'lstm', numLayers: 2, bidirectional: true },
  { cell: 'gru', numLayers: 3, bidirectional: true, merge: 'max' },
];

for (const spec of fusable) {
  for (const lengths of [undefined, [5, 2, 4]]) {
    test(`fused equals unfused to 1e-12 in float64: ${JSON.stringify(spec)}${lengths ? ' with lengths' : ''}`, () => {
      const { layer, x, h0, c0 } = setup(spec);
      const a = run(layer, x, h0, c0, { lengths, build: 'fused' });
      const b = run(layer, x, h0, c0, { lengths, build: 'unfused' });
      for (const key of ['y', 'h', 'c', 'grads', 'dx', 'dh0'] as const) {
        if (a[key] === null) continue;
        assert.ok(maxAbsDiff(a[key]!, b[key]!) < 1e-12, `${key}: ${maxAbsDiff(a[key]!, b[key]!)}`);
      }
    });
  }
}

for (const spec of [{ cell: 'lstm', numLayers: 2 }, { cell: 'gru' }, { cell: 'rnn' }, { cell: 'mut3' }] as Spec[]) {
  test(`step by step equals the whole sequence, values and gradients: ${spec.cell}`, () => {
    const T = 4;
    const { layer, x, h0, c0 } = setup(spec, T);
    const whole = run(layer, x, h0, c0, {});
    layer.store.zeroGrad();
    x.zeroGrad();
    h0.zeroGrad();
    c0?.zeroGrad();
    const tape = new Tape();
    let h = h0,
      c = c0;
    const ys: Tensor[] = [];
    for (let t = 0; t < T; t++) {
      const xt = ops.reshape(tape, ops.selectStep(tape, x, t), [1, x.shape[1], x.shape[2]]);
      const out = layer.forward(tape, xt, { h0: h, c0: c });
      ys.push(ops.selectStep(tape, out.y, 0));
      h = out.h;
      c = out.c ?? undefined;
    }
    const stepped: LayerOutput = { y: ops.stack(tape, ys), h, c: c ?? null };
    tape.backward(weightedLoss(tape, stepped, new Rng(5)));
    assert.ok(maxAbsDiff(stepped.y.data, whole.y) < 1e-14, 'y');
    assert.ok(maxAbsDiff(stepped.h.data, whole.h) < 1e-14, 'h');
    assert.ok(maxAbsDiff(layer.store.grad, whole.grads) < 1e-12, 'parameter gradients');
    assert.ok(maxAbsDiff(x.grad!, whole.dx) < 1e-12, 'input gradient');
  });
}

for (const build of ['fused', 'unfused'] as const) {
  test(`padded batch (${build}): zeros at padding, no gradient through it, each sequence as if alone`, () => {
    const lengths = [5, 2, 4];
    const { layer, x, h0, c0 } = setup({ cell: 'lstm', bidirectional: true, build });
    const padded = run(layer, x, h0, c0, { lengths });
    const [T, B, I] = x.shape,
      H = 5;
    for (let b = 0; b < B; b++) {
      for (let t = lengths[b]; t < T; t++) {
        assert.ok(
          padded.y.slice((t * B + b) * 2 * H, (t * B + b + 1) * 2 * H).every((v) => v === 0),
          `y[${t}, ${b}] is zero`,
        );
        assert.ok(
          padded.dx.slice((t * B + b) * I, (t * B + b + 1) * I).every((v) => v === 0),
          `∂x[${t}, ${b}] is zero`,
        );
      }
      // The same sequence alone, cut to its length: outputs and final states must agree.
      const n = lengths[b];
      const xb = Tensor.zeros([n, 1, I], 'f64');
      for (let t = 0; t < n; t++) xb.data.set(x.data.subarray((t * B + b) * I, (t * B + b + 1) * I), t * I);
      const pick = (s: Tensor) => {
        const out = Tensor.zeros([2, 1, H], 'f64');
        for (let d = 0; d < 2; d++) out.data.set(s.data.subarray((d * B + b) * H, (d * B + b + 1) * H), d * H);
        return out;
      };
      const alone = layer.forward(null, xb, { h0: pick(h0), c0: pick(c0!) });
      for (let t = 0; t < n; t++) {
        const got = padded.y.slice((t * B + b) * 2 * H, (t * B + b + 1) * 2 * H);
        assert.ok(maxAbsDiff(got, alone.y.data.subarray(t * 2 * H, (t + 1) * 2 * H)) < 1e-14, `y[${t}, ${b}]`);
      }
      for (let d = 0; d < 2; d++) {
        const got = padded.h.slice((d * B + b) * H, (d * B + b + 1) * H);
        assert.ok(
          maxAbsDiff(got, alone.h.data.subarray(d * H, (d + 1) * H)) < 1e-14,
          `h_n[${d}, ${b}]: the ${d ? 'reverse' : 'forward'} final state`,
        );
      }
    }
  });
}

test('dropout acts between layers only: a one-layer network is unchanged, a two-layer one is not', () => {
  for (const numLayers of [1, 2]) {
    const { layer, x } = setup({ cell: 'lstm', numLayers, dropout: 0.5 });
    const evalY = [...layer.forward(null, x).y.data];
    const trainY = [...layer.forward(null, x, { training: true, rng: new Rng(3) }).y.data];
    if (numLayers === 1) assert.equal(trainY, evalY, 'no dropout along time or on the output');
    else assert.ok(maxAbsDiff(trainY, evalY) > 1e-3, 'the second layer sees dropped inputs');
  }
  const { layer, x } = setup({ cell: 'gru', numLayers: 2, dropout: 0.3 });
  assert.throws(
    () => layer.forward(null, x, { training: true }),
    /options.rng must be a seeded Rng when training with dropout 0.3/,
  );
});

test('parameter counts: LSTM 4×, GRU 3×, bidirectional 2× a plain RNN, with a per-layer breakdown', () => {
  const count = (o: Partial<LayerOptions> & { cell: LayerOptions['cell'] }) =>
    new RecurrentLayer({ inputSize: 10, hiddenSize: 20, ...o }).parameterCount();
  const rnn = count({ cell: 'rnn' }).total;
  assert.is(rnn, 20 * (10 + 20) + 2 * 20, "H(I+H) + 2H with PyTorch's two biases");
  assert.is(count({ cell: 'lstm' }).total, 4 * rnn);
  assert.is(count({ cell: 'gru' }).total, 3 * rnn);
  assert.is(count({ cell: 'rnn', bidirectional: true }).total, 2 * rnn);
  assert.is(count({ cell: 'lstm', bidirectional: true }).total, 8 * rnn);
  const stacked = count({ cell: 'lstm', numLayers: 2, bidirectional: true });
  assert.equal(
    stacked.perLayer.map((p) => [p.layer, p.direction]),
    [
      [0, 'forward'],
      [0, 'reverse'],
      [1, 'forward'],
      [1, 'reverse'],
    ],
  );
  assert.is(stacked.perLayer[2].count, 4 * (20 * (40 + 20) + 2 * 20), 'layer 1 reads both directions of layer 0');
  assert.is(
    stacked.total,
    stacked.perLayer.reduce((n, p) => n + p.count, 0),
  );
  assert.is(count({ cell: 'lstm', variant: 'cifg' }).total, 3 * rnn, 'coupled gates drop one block');
  assert.is(count({ cell: 'lstm', variant: 'peephole' }).total, 4 * rnn + 3 * 20);
});

test('long-delay recurrence: ‖∂h_t/∂h_{t−k}‖ decays like λ^{k/d}, not λ^k', () => {
  // A near-linear recurrence h_t = tanh(W_x x_t + λ Q h_{t−d}) with Q orthogonal (a rotation)
  // and tiny inputs: each backward pass through the recurrence multiplies by about λ Qᵀ.
  const H = 4,
    T = 24,
    lambda = 0.8;
  for (const delay of [1, 2, 3]) {
    const layer = new RecurrentLayer({
      cell: 'rnn',
      inputSize: H,
      hiddenSize: H,
      delay,
      bias: false,
      dtype: 'f64',
      build: 'unfused',
    });
    const W = layer.cells[0][0].namedParameters()[0][1];
    W.data.fill(0);
    const theta = 0.3,
      c = Math.cos(theta),
      s = Math.sin(theta);
    const Q = [
      [c, -s, 0, 0],
      [s, c, 0, 0],
      [0, 0, c, -s],
      [0, 0, s, c],
    ];
    for (let i = 0; i < H; i++)
      for (let j = 0; j < H; j++) {
        W.data[i * H + j] = i === j ? 1e-3 : 0;
        W.data[(H + i) * H + j] = lambda * Q[j][i];
      }
    const x = Tensor.zeros([T, 1, H], 'f64');
    new Rng(2).fillUniform(x.data, -1e-4, 1e-4);
    // Seed ∂L/∂h_T = e_0 and read ∂L/∂x_t, which equals W_xᵀ-scaled ∂L/∂h_t here.
    x.requiresGrad = true;
    const tape = new Tape();
    const out = layer.forward(tape, x);
    const seed = Float64Array.from({ length: H }, (_, j) => (j === 0 ? 1 : 0));
    tape.backward(ops.selectStep(tape, ops.reshape(tape, out.y, [T, H]), T - 1), seed);
    const norm = (t: number) => Math.hypot(...x.grad!.subarray(t * H, (t + 1) * H)) / 1e-3;
    for (let k = 0; k < T; k++) {
      const expected = k % delay === 0 ? lambda ** (k / delay) : 0;
      assert.ok(
        Math.abs(norm(T - 1 - k) - expected) < 1e-6,
        `d=${delay} k=${k}: ${norm(T - 1 - k)} vs λ^(k/d) = ${expected}`,
      );
    }
  }
});

test('a recorded forward keeps its workspace; a second forward before backward gets another', () => {
  const { layer, x, h0, c0 } = setup({ cell: 'lstm' });
  const expected = run(layer, x, h0, c0, { build: 'unfused' });
  layer.store.zeroGrad();
  x.zeroGrad();
  h0.zeroGrad();
  c0!.zeroGrad();
  const tape = new Tape();
  const first = layer.forward(tape, x, { h0, c0 });
  const second = layer.forward(tape, x, { h0, c0 });
  assert.is.not(first.y, second.y, 'two workspaces, two sets of outputs');
  const rng = new Rng(5);
  const loss = weightedLoss(tape, first, rng);
  tape.backward(loss);
  assert.ok(maxAbsDiff(layer.store.grad, expected.grads) < 1e-12);
  tape.reset();
});

test('a backward whose workspace was reused by a later forward fails clearly', () => {
  const { layer, x, h0, c0 } = setup({ cell: 'gru' });
  const tape = new Tape();
  const out = layer.forward(tape, x, { h0, c0 });
  const loss = ops.sum(tape, out.y);
  tape.backward(loss);
  layer.forward(null, x, { h0 });
  assert.throws(() => tape.backward(loss), /saved activations were overwritten by a later forward of the same layer/);
});

test("the GRU's two conventions are one family: z writing with (W_z, b_z) is z keeping with (−W_z, −b_z)", () => {
  for (const resetAfter of [true, false]) {
    const I = 3,
      H = 4,
      rng = new Rng(11);
    const writes = new RecurrentLayer({
      cell: 'gru',
      inputSize: I,
      hiddenSize: H,
      dtype: 'f64',
      seed: 5,
      updateGate: 'writes',
      resetAfter,
    });
    const keeps = new RecurrentLayer({ cell: 'gru', inputSize: I, hiddenSize: H, dtype: 'f64', seed: 6, resetAfter });
    for (const [name, t] of writes.store.entries()) {
      const target = keeps.store.get(name).data,
        width = t.shape.at(-1)!;
      t.data.forEach((v, q) => (target[q] = q % width >= H && q % width < 2 * H ? -v : v));
    }
    const x = Tensor.zeros([6, 2, I], 'f64');
    rng.fillUniform(x.data, -1, 1);
    const fused = [writes, keeps].map((l) => l.forward(null, x, { build: 'fused' }).y.data);
    assert.equal(
      [...fused[0]].map(String),
      [...fused[1]].map(String),
      `reset ${resetAfter ? 'after' : 'before'}, fused: the same bits`,
    );
    const unfused = [writes, keeps].map((l) => l.forward(null, x, { build: 'unfused' }).y.data);
    assert.ok(
      unfused[0].every((v, q) => Math.abs(v - unfused[1][q]) < 1e-15),
      "unfused: (1 − z) h + z n and z' h + (1 − z') n agree to rounding",
    );
    assert.ok(
      unfused[0].every((v, q) => Math.abs(v - fused[0][q]) < 1e-14),
      'and with the fused build',
    );
  }
});

test("bidirectional 'concatenated': one RNN whose step t reads [x_t, x_{T+1−t}], reversed within each length; W_x has 2I rows", () => {
  const I = 3,
    H = 4,
    T = 5,
    B = 2,
    lengths = [5, 3];
  const layer = new RecurrentLayer({
    cell: 'rnn',
    inputSize: I,
    hiddenSize: H,
    dtype: 'f64',
    seed: 2,
    bidirectional: 'concatenated',
  });
  const plain = new RecurrentLayer({ cell: 'rnn', inputSize: 2 * I, hiddenSize: H, dtype: 'f64', seed: 9 });
  plain.store.data.set(layer.store.data);
  assert.equal(layer.store.get('rnn.l0.W').shape, [2 * I + H, H]);
  assert.is(layer.parameterCount().total, plain.parameterCount().total);
  const x = Tensor.zeros([T, B, I], 'f64');
  new Rng(3).fillUniform(x.data, -1, 1);
  // The input the lecture describes, built by hand: row b, step t gets x_t and x_{len_b − 1 − t}.
  const paired = Tensor.zeros([T, B, 2 * I], 'f64');
  for (let t = 0; t < T; t++)
    for (let b = 0; b < B; b++) {
      const from = t < lengths[b] ? lengths[b] - 1 - t : t;
      for (let i = 0; i < I; i++) {
        paired.data[(t * B + b) * 2 * I + i] = x.data[(t * B + b) * I + i];
        paired.data[(t * B + b) * 2 * I + I + i] = x.data[(from * B + b) * I + i];
      }
    }
  for (const build of ['fused', 'unfused'] as const) {
    const a = layer.forward(null, x, { lengths, build }),
      b = plain.forward(null, paired, { lengths, build });
    assert.equal([...a.y.data].map(String), [...b.y.data].map(String), `${build}: y`);
    assert.equal([...a.h.data].map(String), [...b.h.data].map(String), `${build}: h`);
  }
  assert.throws(
    () => new RecurrentLayer({ cell: 'rnn', inputSize: 2, hiddenSize: 2, bidirectional: 'both' as 'concatenated' }),
    /bidirectional must be true, false or 'concatenated', got 'both'/,
  );
});

test.run();
