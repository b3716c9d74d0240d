import { Tensor, Tape, ops, gradcheck } from 'rnnlab';

// A one-layer network y = tanh(x·W + b) and the loss L = Σ y ⊙ r, in float64.
const x = Tensor.from([0.5, -1.0, 2.0, 0.1, 0.3, -0.7], [2, 3], 'f64');
const W = Tensor.from([0.2, -0.4, 0.7, 0.1, -0.3, 0.5], [3, 2], 'f64', { requiresGrad: true, name: 'W' });
const b = Tensor.from([0.1, -0.2], [2], 'f64', { requiresGrad: true, name: 'b' });
const r = Tensor.from([1, -2, 0.5, 3], [2, 2], 'f64');

const loss = (tape) => {
  const y = ops.tanh(tape, ops.add(tape, ops.matmul(tape, x, W), b));
  return ops.sum(tape, ops.mul(tape, y, r));
};

const tape = new Tape();
const L = loss(tape);
tape.backward(L);
console.log('L     =', L.item().toFixed(6));
console.log('dL/db =', Array.from(b.grad, (g) => g.toFixed(6)).join(' '));

// The same gradients by central finite differences, for every element of W and b.
const report = gradcheck(loss, [W, b]);
for (const input of report.inputs) {
  console.log(`${input.name}: worst relative error ${input.maxRelErr.toExponential(1)}, ${input.ok ? 'pass' : 'FAIL'}`);
}
