// The wasm kernels' sigmoid and tanh (kernels/wasm/math.ts) against the exact functions
// rounded to float32: at most 2 ulps over a sample of every float32 and denser ones where
// the gates live, and the special values exactly.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { activationKernels } from '../kernels/wasm/activations.js';
import { WasmHeap } from '../kernels/wasm/heap.js';

const heap = new WasmHeap();
const kernels = activationKernels(heap);
const exact = { sigmoid: (v: number) => 1 / (1 + Math.exp(-v)), tanh: Math.tanh };
const names = ['sigmoid', 'tanh'] as const;

const bits = new Int32Array(1),
  float = new Float32Array(bits.buffer);
/** A float's place on the number line of float32s, so that neighbours are one apart. */
function order(v: number): number {
  float[0] = v;
  return bits[0] < 0 ? -(bits[0] & 0x7fffffff) : bits[0];
}

/** The floats with bit patterns from, from + stride, … below to (and both signs when `signs`). */
function patterns(from: number, to: number, stride: number, signs: boolean): Float32Array {
  const out: number[] = [];
  for (let p = from; p < to; p += stride) {
    bits[0] = p | 0;
    if (Number.isFinite(float[0])) out.push(float[0]);
    if (signs) {
      bits[0] = p | 0x80000000 | 0;
      if (Number.isFinite(float[0])) out.push(float[0]);
    }
  }
  return Float32Array.from(out);
}

function run(name: (typeof names)[number], xs: Float32Array): Float32Array {
  const x = heap.f32(xs.length)!,
    y = heap.f32(xs.length)!;
  x.set(xs);
  kernels[name](y.byteOffset, x.byteOffset, xs.length);
  return y.slice();
}

function worstUlps(name: (typeof names)[number], xs: Float32Array): { ulps: number; at: number } {
  const ys = run(name, xs);
  let worst = { ulps: 0, at: NaN };
  xs.forEach((x, q) => {
    const ulps = Math.abs(order(ys[q]) - order(Math.fround(exact[name](x))));
    if (!(ulps <= worst.ulps)) worst = { ulps, at: x };
  });
  return worst;
}

for (const name of names) {
  test(`${name}: within 2 ulps of the exact function over the float32 range`, () => {
    const whole = worstUlps(name, patterns(0, 0x7f800000, 4099, true));
    assert.ok(whole.ulps <= 2, `${whole.ulps} ulps at x = ${whole.at}`);
    // Where the gates live: 2⁻¹⁰ ≤ |x| < 32.
    const gates = worstUlps(name, patterns(0x3a800000, 0x42000000, 97, true));
    assert.ok(gates.ulps <= 2, `${gates.ulps} ulps at x = ${gates.at}`);
    // Densest where the rounding is hardest: 1/4 ≤ |x| < 4.
    const middle = worstUlps(name, patterns(0x3e800000, 0x40800000, 29, true));
    assert.ok(middle.ulps <= 2, `${middle.ulps} ulps at x = ${middle.at}`);
  });
}

test('sigmoid and tanh of the special values, and every length of tail', () => {
  const specials = Float32Array.of(NaN, Infinity, -Infinity, 0, -0, 1e-45, -1e-45, -104, -200, 3e38, -3e38);
  const s = run('sigmoid', specials),
    t = run('tanh', specials);
  assert.ok(Number.isNaN(s[0]) && Number.isNaN(t[0]), 'NaN stays NaN');
  assert.equal([...s.slice(1)], [1, 0, 0.5, 0.5, 0.5, 0.5, 0, 0, 1, 0]);
  assert.equal([...t.slice(1)], [1, -1, 0, -0, 1e-45, -1e-45, -1, -1, 1, -1].map(Math.fround));
  assert.ok(Object.is(t[4], -0), 'tanh(−0) is −0');
  // n = 1 … 9 covers a tail of every length after 0, 1 and 2 whole vectors, and nothing past n is written.
  for (let n = 1; n <= 9; n++) {
    const x = heap.f32(n + 1)!,
      y = heap.f32(n + 1)!;
    x.forEach((_, q) => (x[q] = q - 4));
    y[n] = 42;
    kernels.tanh(y.byteOffset, x.byteOffset, n);
    for (let q = 0; q < n; q++)
      assert.ok(Math.abs(order(y[q]) - order(Math.fround(Math.tanh(q - 4)))) <= 2, `n ${n}, q ${q}`);
    assert.is(y[n], 42, `n ${n}: the element after the last is untouched`);
  }
});

test.run();
