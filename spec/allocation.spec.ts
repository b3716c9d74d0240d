// Nothing is allocated inside the time loop, and nothing returned to a caller is changed by
// a later call. A fused pass hands back fresh outputs (y, h and, for an LSTM, c), the
// caller's to keep; everything else lives in a workspace reused from pass to pass. So a
// second identical training pass allocates exactly its outputs and their gradients, the
// same count for 7 steps as for 40.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { alloc, allocationCount, RecurrentLayer, Rng, Tape, Tensor, type CellKind } from '../index.js';

const cases: [CellKind, object][] = [
  ['lstm', {}],
  ['lstm', { variant: 'peephole' }],
  ['lstm', { variant: 'fgr' }],
  ['gru', {}],
  ['gru', { resetAfter: false }],
  ['rnn', {}],
  ['rnn', { delay: 3 }],
];

/** Allocations of a second training pass (forward, full BPTT, all gradients) over T steps. */
function secondPassAllocations(cell: CellKind, options: object, T: number): number {
  const layer = new RecurrentLayer({ cell, inputSize: 5, hiddenSize: 6, ...options });
  const x = Tensor.zeros([T, 3, 5], 'f32', { requiresGrad: true });
  new Rng(1).fillUniform(x.data, -1, 1);
  const seed = alloc('f32', T * 3 * 6).fill(0.5);
  const tape = new Tape();
  const pass = () => {
    layer.store.zeroGrad();
    x.zeroGrad();
    const out = layer.forward(tape, x);
    tape.backward(out.y, seed);
    tape.reset();
  };
  pass();
  const before = allocationCount();
  pass();
  return allocationCount() - before;
}

for (const [cell, options] of cases) {
  test(`a second ${cell} ${JSON.stringify(options)} training pass allocates only its outputs, however long the sequence`, () => {
    // y, h (and c) for the caller, and y's gradient buffer: nothing per step, nothing for the workspace.
    const outputs = cell === 'lstm' ? 3 : 2;
    assert.is(secondPassAllocations(cell, options, 7), outputs + 1);
    assert.is(secondPassAllocations(cell, options, 40), outputs + 1);
  });
}

test('outputs handed back are never changed by a later call, recorded or not', () => {
  for (const cell of ['lstm', 'gru', 'rnn'] as CellKind[]) {
    const layer = new RecurrentLayer({ cell, inputSize: 3, hiddenSize: 4, dtype: 'f64' });
    const rng = new Rng(2);
    const x1 = Tensor.zeros([5, 2, 3], 'f64'),
      x2 = Tensor.zeros([5, 2, 3], 'f64');
    rng.fillUniform(x1.data, -1, 1);
    rng.fillUniform(x2.data, -1, 1);
    const first = layer.forward(null, x1);
    const kept = { y: [...first.y.data], h: [...first.h.data], c: first.c === null ? null : [...first.c.data] };
    const tape = new Tape();
    const second = layer.forward(null, x2);
    layer.forward(tape, x2);
    assert.is.not(second.y, first.y, `${cell}: a new y for every call`);
    assert.equal([...first.y.data], kept.y, `${cell}: y of the first call`);
    assert.equal([...first.h.data], kept.h, `${cell}: h of the first call`);
    if (kept.c !== null) assert.equal([...first.c!.data], kept.c, `${cell}: c of the first call`);
    assert.not.equal([...second.y.data], kept.y, `${cell}: the second input gives other outputs`);
  }
});

test('the unfused build, by contrast, allocates a tensor per op and step', () => {
  const fused = new RecurrentLayer({ cell: 'lstm', inputSize: 5, hiddenSize: 6 });
  const unfused = new RecurrentLayer({ cell: 'lstm', inputSize: 5, hiddenSize: 6, build: 'unfused' });
  const x = Tensor.zeros([7, 3, 5], 'f32');
  fused.forward(null, x);
  const count = (layer: RecurrentLayer) => {
    const before = allocationCount();
    layer.forward(null, x);
    return allocationCount() - before;
  };
  assert.is(count(fused), 3);
  assert.ok(count(unfused) > 7 * 10, `unfused: ${count(unfused)} allocations`);
});

test.run();
