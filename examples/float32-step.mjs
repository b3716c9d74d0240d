import { Tensor, ops } from 'rnnlab';

// Why a float32 gradient check needs a large step. One input element x_q of
// L = Σ sigmoid(x) ⊙ r, differentiated three ways: analytically in float64, and by
// central differences (L(x + ε) − L(x − ε)) / (x⁺ − x⁻) in float32 and float64.
const xs = [0.3, -0.8, 1.1, 0.45, -0.2, 0.9],
  rs = [0.7, -1.3, 0.4, 1.9, -0.6, 1.1];
const q = 3;

function lossAt(dtype, delta) {
  const x = Tensor.from(xs, [6], dtype);
  x.data[q] += delta;
  const stored = x.data[q];
  const L = ops.sum(null, ops.mul(null, ops.sigmoid(null, x), Tensor.from(rs, [6], dtype))).item();
  return { L, stored };
}

const s = 1 / (1 + Math.exp(-xs[q]));
const analytic = rs[q] * s * (1 - s);
console.log(`analytic ∂L/∂x_${q} = ${analytic.toFixed(9)}`);
console.log('dtype  eps    stored step x⁺−x⁻   L(x⁺) − L(x⁻)     numeric       error');
for (const [dtype, eps] of [
  ['f32', 1e-6],
  ['f32', 1e-3],
  ['f64', 1e-6],
]) {
  const plus = lossAt(dtype, eps),
    minus = lossAt(dtype, -eps);
  const step = plus.stored - minus.stored;
  const numeric = (plus.L - minus.L) / step;
  console.log(
    `${dtype}    ${eps.toExponential(0)}  ${step.toExponential(9)}   ${(plus.L - minus.L).toExponential(6)}   ` +
      `${numeric.toFixed(9)}   ${Math.abs(numeric - analytic).toExponential(1)}`,
  );
}
