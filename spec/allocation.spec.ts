// No allocation inside the time loop: a second identical training pass of a fused layer
// (forward, full BPTT, all gradients) takes nothing from the allocator.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { alloc, allocationCount, RecurrentLayer, Rng, Tape, Tensor, type CellKind } from '../index.js';

for (const cell of ['lstm', 'gru', 'rnn'] as CellKind[]) {
  for (const options of [{}, { variant: 'peephole' as const }, { resetAfter: false }, { delay: 3 }]) {
    if (('variant' in options && cell !== 'lstm') || ('resetAfter' in options && cell !== 'gru') || ('delay' in options && cell !== 'rnn')) continue;
    test(`a second ${cell} ${JSON.stringify(options)} training pass allocates nothing`, () => {
      const layer = new RecurrentLayer({ cell, inputSize: 5, hiddenSize: 6, ...options });
      const x = Tensor.zeros([7, 3, 5], 'f32', { requiresGrad: true });
      new Rng(1).fillUniform(x.data, -1, 1);
      const seed = alloc('f32', 7 * 3 * 6).fill(0.5);
      const tape = new Tape();
      const pass = () => {
        layer.store.zeroGrad();
        x.zeroGrad();
        const out = layer.forward(tape, x);
        tape.backward(out.y, seed);
        tape.reset();
        return out;
      };
      const first = pass();
      const before = allocationCount();
      const second = pass();
      assert.is(allocationCount() - before, 0);
      assert.is(second.y, first.y, 'the outputs live in the reused workspace');
      const fresh = new RecurrentLayer({ cell, inputSize: 5, hiddenSize: 6, ...options, build: 'unfused' });
      const before2 = allocationCount();
      fresh.forward(null, x);
      assert.ok(allocationCount() - before2 > 0, 'the unfused build, by contrast, allocates a tensor per op');
    });
  }
}

test.run();
