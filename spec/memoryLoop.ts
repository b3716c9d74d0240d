// The child program of spec/memoryFlat.spec.ts: train for `warmUp` steps, then `steps` more, in
// a loop that never yields (so no FinalizationRegistry callback can run), and print the memory
// after the warm-up and at the end, each after a full collection (node --expose-gc).
// Arguments: the case (fused, unfused, chars), warmUp, steps.
import {
  addingTask,
  CharLM,
  carry,
  getBackend,
  setBackendByVariable,
  lastStep,
  Linear,
  makeOptimizer,
  ops,
  ParamStore,
  RecurrentLayer,
  Rng,
  Tensor,
  TokenStreams,
  Trainer,
  type RecurrentState,
} from '../index.js';
import { wasmHeapIfMade } from '../kernels/backend/choice.js';

setBackendByVariable('RNNLAB_BACKEND', process.env.RNNLAB_BACKEND);
const [kind, warmUpText, stepsText] = process.argv.slice(2);
const warmUp = Number(warmUpText),
  steps = Number(stepsText);

/** One training step of the case; the whole loop is `for (…) step()`. */
function makeCase(): () => void {
  if (kind === 'chars') {
    // A character model carrying its state from chunk to chunk (TBPTT), as the chars task does.
    const text = 'the state after a step depends on the state before it and on what was read. '.repeat(20);
    const lm = new CharLM({ alphabet: CharLM.alphabetOf(text), layer: { cell: 'lstm', hiddenSize: 16 }, seed: 1 });
    const trainer = new Trainer({
      optimizer: makeOptimizer('adam', lm.store, { lr: 0.01 }),
      clip: { mode: 'norm', max: 5 },
    });
    const streams = new TokenStreams(lm.encode(text), 4);
    let state: RecurrentState | null = null;
    return () => {
      const chunk = streams.next(16);
      if (chunk.reset) state = carry(state, null);
      trainer.stepWith(() => {
        const r = lm.chunkGradients(chunk.tokens, 16, 4, state);
        state = carry(state, r.state);
        return r.loss;
      });
    };
  }
  // The README's first example: an LSTM (fused; or unfused, smaller) and a linear head on the adding problem.
  const unfused = kind === 'unfused',
    H = unfused ? 4 : 16;
  const task = addingTask(unfused ? 5 : 10);
  const store = new ParamStore('f32');
  const lstm = new RecurrentLayer({
    cell: 'lstm',
    inputSize: 2,
    hiddenSize: H,
    forgetBias: 1,
    store,
    build: unfused ? 'unfused' : 'fused',
  });
  const head = new Linear(store, 'head', H, 1);
  store.allocate();
  lstm.initialize(new Rng(1));
  head.initialize(new Rng(2));
  const trainer = new Trainer({
    optimizer: makeOptimizer('adam', store, { lr: 0.01 }),
    clip: { mode: 'norm', max: 1 },
  });
  const data = new Rng(3);
  return () => {
    const batch = task.batch(data, 16);
    trainer.step((tape) => {
      const x = Tensor.from(batch.values as ArrayLike<number>, [batch.T, batch.B, 2]);
      const prediction = head.forward(tape, lastStep(tape, lstm.forward(tape, x).y));
      return ops.mse(tape, prediction, Tensor.from(batch.targets as ArrayLike<number>, [batch.B, 1]));
    });
  };
}

/**
 * The memory after two full collections. Measured after one, RSS jumped between levels 15 MB
 * apart from one measurement to the next with both heaps unchanged (the unfused case on wasm:
 * 100.5 115.3 115.8 100.4 102.5 … MB); after two, the same loop held within about 4 MB (87–91
 * MB). Most likely a collection leaves part of its freeing to background threads, which the next
 * one finishes.
 */
function measure() {
  const gc = (globalThis as { gc?: () => void }).gc!;
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss, wasmInUse: wasmHeapIfMade()?.inUse ?? 0 };
}

const step = makeCase();
for (let s = 0; s < warmUp; s++) step();
// Ten measurements, one every tenth of the steps.
const samples = [measure()];
for (let s = 1; s <= steps; s++) {
  step();
  if (s % (steps / 10) === 0) samples.push(measure());
}
console.log(JSON.stringify({ kind, backend: getBackend(), steps, warmUp, samples }));
