import { RecurrentLayer, Rng, Tape, Tensor, ops } from 'rnnlab';

// A two-layer bidirectional LSTM over a padded batch of 3 sequences of lengths 5, 2 and 4.
const lstm = new RecurrentLayer({
  cell: 'lstm',
  inputSize: 4,
  hiddenSize: 8,
  numLayers: 2,
  bidirectional: true,
  dtype: 'f64',
  seed: 1,
});
const x = Tensor.zeros([5, 3, 4], 'f64');
new Rng(2).fillUniform(x.data, -1, 1);
const lengths = [5, 2, 4];

const fused = lstm.forward(null, x, { lengths });
console.log('y', fused.y.shape, 'h_n', fused.h.shape, 'c_n', fused.c.shape);
console.log(
  'padded step y[3, 1] is zero:',
  fused.y.data.subarray((3 * 3 + 1) * 16, (3 * 3 + 2) * 16).every((v) => v === 0),
);

// The same layer built from primitive ops on the tape gives the same numbers.
const copy = Array.from(fused.y.data);
const unfused = lstm.forward(null, x, { lengths, build: 'unfused' });
const diff = Math.max(...copy.map((v, q) => Math.abs(v - unfused.y.data[q])));
console.log('fused vs unfused, largest difference:', diff.toExponential(1));

// Parameters: PyTorch's layout per layer and direction, 4·H·(I + H) + 8H each.
const counts = lstm.parameterCount();
for (const p of counts.perLayer) console.log(`layer ${p.layer} ${p.direction.padEnd(7)} ${p.count}`);
console.log('total', counts.total);

// Backward through both layers and directions.
const tape = new Tape();
const out = lstm.forward(tape, x, { lengths });
tape.backward(ops.mean(tape, ops.mul(tape, out.y, out.y)));
console.log('gradient entries, all finite:', lstm.store.grad.length, lstm.store.grad.every(Number.isFinite));
