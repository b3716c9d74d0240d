import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Linear, makeOptimizer, ParamStore, RecurrentLayer, Rng, Tape, ops } from '../index.js';

test('parameters are views into one flat data buffer and one flat grad buffer', () => {
  const store = new ParamStore('f64');
  const w = store.add('w', [2, 3]);
  const b = store.add('b', [3]);
  store.allocate();
  w.data.set([1, 2, 3, 4, 5, 6]);
  b.data.set([7, 8, 9]);
  assert.is(store.size, 9);
  assert.equal(Array.from(store.data), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.is(w.data.buffer, store.data.buffer, 'w is a view of the flat buffer');
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

test("two phases: declare, then allocate once; a tensor's data never re-points", () => {
  const store = new ParamStore('f32');
  const layer = new RecurrentLayer({ cell: 'gru', inputSize: 3, hiddenSize: 4, store });
  const head = new Linear(store, 'head', 4, 2);
  assert.throws(
    () => store.get('gru.l0.W').data,
    /Tensor: gru\.l0\.W is declared, but its store is not allocated yet; call store.allocate\(\) after declaring every parameter/,
  );
  assert.throws(() => store.data, /the store is not allocated yet \(5 parameters declared\); call allocate\(\) first/);
  assert.throws(
    () => makeOptimizer('sgd', store, { lr: 0.1 }),
    /sgd: the parameter store is not allocated yet; make the optimizer after the model/,
  );
  store.allocate();
  const W = head.W.data;
  layer.initialize(new Rng(1));
  head.initialize(new Rng(2));
  assert.is(head.W.data, W, 'the same buffer before and after initialisation');
  assert.throws(
    () => store.add('late', [2]),
    /cannot add late: the store is allocated already; declare every parameter before allocate\(\)/,
  );
  assert.throws(() => store.allocate(), /the store is allocated already/);
  assert.is(head.W.data, W);
  assert.is(store.size, 3 * 4 * 3 + 4 * 4 * 3 + 2 * 12 + 4 * 2 + 2);
  assert.throws(
    () => new RecurrentLayer({ cell: 'gru', inputSize: 3, hiddenSize: 4, store: new ParamStore(), seed: 3 }),
    /gru: seed must be left out when a store is given \(allocate the store, then call initialize\(rng\)\), got 3/,
  );
});

test('the store names what is wrong', () => {
  const store = new ParamStore('f32');
  store.add('w', [2]);
  assert.throws(() => store.add('w', [3]), /ParamStore.add: name must be a name not yet in the store, got 'w'/);
  assert.throws(() => store.get('v'), /ParamStore.get: name must be one of the store's parameters \(w\), got 'v'/);
  assert.throws(() => store.add('z', [2, -1]), /shape must be an array of non-negative integers, got \[2,-1\]/);
  store.allocate();
  assert.throws(() => store.set('w', [1, 2, 3]), /ParamStore.set: values must be 2 values for w \[2\], got 3/);
  assert.throws(() => new ParamStore('f16' as 'f32'), /ParamStore: dtype must be 'f32' or 'f64', got 'f16'/);
});

test.run();
