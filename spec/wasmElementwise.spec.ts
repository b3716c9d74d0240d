// The element-wise wasm kernels (kernels/wasm/elementwise.ts, called through
// kernels/backend/pointwise.ts) against their TypeScript twins on the same inputs: odd sizes, rows ×
// columns with a tail of lanes, nothing written past the end. Where both round once (sums,
// products, maxima, the f64 column sums) the results agree bit for bit; where the wasm
// kernel rounds twice or approximates (axpy, affine, the activations) within a few ulps.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as act from '../kernels/js/activations.js';
import { onWasm } from '../kernels/backend/choice.js';
import * as d from '../kernels/backend/pointwise.js';
import * as ew from '../kernels/js/elementwise.js';
import { rowSum } from '../kernels/js/reduce.js';
import * as sce from '../kernels/js/softmaxCrossEntropy.js';
import { alloc, allocPinned, Rng } from '../index.js';
import { onBackend } from './helpers.js';

const sizes = [1, 3, 7, 33, 65, 257];

/** `count` heap buffers of n + 1 floats (one past the end, a sentinel), filled from `seed`, twice. */
function twins(count: number, n: number, seed: number): [Float32Array[], Float32Array[]] {
  const make = () => {
    const rng = new Rng(seed);
    return Array.from({ length: count }, () => {
      const b = allocPinned('f32', n + 1);
      rng.fillUniform(b, -3, 3);
      return b;
    });
  };
  return [make(), make()];
}

const bits = new Int32Array(1),
  float = new Float32Array(bits.buffer);
function order(v: number): number {
  float[0] = v;
  return bits[0] < 0 ? -(bits[0] & 0x7fffffff) : bits[0];
}

/**
 * Every element within `ulps` (0: bit for bit), the sentinel past n untouched. An
 * accumulating kernel (y += term) rounds the term and then the sum, so its error is measured
 * in ulps of the larger of the result and the terms it added (`terms`, from the inputs).
 */
function assertUlps(
  what: string,
  wasm: Float32Array[],
  ts: Float32Array[],
  ulps: number | ((i: number) => number),
  terms?: (i: number) => number,
): void {
  wasm.forEach((w, q) =>
    w.forEach((v, i) => {
      const off = Math.abs(order(v) - order(ts[q][i]));
      if (off === 0) return;
      const scale = Math.max(Math.abs(ts[q][i]), q === 0 && terms !== undefined ? terms(i) : 0);
      const bound = (typeof ulps === 'number' ? ulps : ulps(i)) * 2 ** (Math.floor(Math.log2(scale)) - 23);
      assert.ok(
        Math.abs(v - ts[q][i]) <= bound,
        `${what}: buffer ${q} element ${i}: ${v} against ${ts[q][i]} (${off} ulps)`,
      );
    }),
  );
}

/**
 * name, buffers, the call, ulps (as many as the wasm kernel rounds where the TypeScript one
 * rounds once: a product and a sum, or the three steps of an activation's slope and the sum),
 * and for an accumulating kernel the size of what it adds to b[0][i].
 */
type Case = [
  string,
  number,
  (b: Float32Array[], n: number, k: 'ts' | 'wasm') => void,
  number,
  ((b: Float32Array[], i: number) => number)?,
];
const sum = (...xs: number[]) => xs.reduce((a, x) => a + Math.abs(x), 0);
const cases: Case[] = [
  ['add', 3, (b, n, k) => (k === 'ts' ? ew.add : d.add)(b[0], b[1], b[2], n), 0],
  ['sub', 3, (b, n, k) => (k === 'ts' ? ew.sub : d.sub)(b[0], b[1], b[2], n), 0],
  ['mul', 3, (b, n, k) => (k === 'ts' ? ew.mul : d.mul)(b[0], b[1], b[2], n), 0],
  ['maximum', 3, (b, n, k) => (k === 'ts' ? ew.maximum : d.maximum)(b[0], b[1], b[2], n), 0],
  [
    'mulBackward',
    3,
    (b, n, k) => (k === 'ts' ? ew.mulBackward : d.mulBackward)(b[0], b[1], b[2], n),
    1,
    (b, i) => sum(b[0][i], b[1][i] * b[2][i]),
  ],
  [
    'maximumBackward a',
    4,
    (b, n, k) => (k === 'ts' ? ew.maximumBackward : d.maximumBackward)(b[0], b[1], b[2], b[3], n, true),
    0,
  ],
  [
    'maximumBackward b',
    4,
    (b, n, k) => (k === 'ts' ? ew.maximumBackward : d.maximumBackward)(b[0], b[1], b[2], b[3], n, false),
    0,
  ],
  [
    'affine',
    2,
    (b, n, k) => (k === 'ts' ? ew.affine : d.affine)(b[0], b[1], -0.75, 0.5, n),
    1,
    (b, i) => sum(0.75 * b[1][i], 0.5),
  ],
  [
    'axpy',
    2,
    (b, n, k) => (k === 'ts' ? ew.axpy : d.axpy)(b[0], 0.3, b[1], n),
    1,
    (b, i) => sum(b[0][i], 0.3 * b[1][i]),
  ],
  ['addConstant', 1, (b, n, k) => (k === 'ts' ? ew.addConstant : d.addConstant)(b[0], 0.25, n), 0],
  ['sigmoid', 2, (b, n, k) => (k === 'ts' ? act.sigmoidForward : d.sigmoidForward)(b[0], b[1], n), 2],
  ['tanh', 2, (b, n, k) => (k === 'ts' ? act.tanhForward : d.tanhForward)(b[0], b[1], n), 2],
  ['relu', 2, (b, n, k) => (k === 'ts' ? act.reluForward : d.reluForward)(b[0], b[1], n), 0],
  [
    'sigmoidBackward',
    3,
    (b, n, k) => (k === 'ts' ? act.sigmoidBackward : d.sigmoidBackward)(b[0], b[1], b[2], n),
    3,
    (b, i) => sum(b[0][i], b[2][i] * b[1][i] * (1 - b[1][i])),
  ],
  [
    'tanhBackward',
    3,
    (b, n, k) => (k === 'ts' ? act.tanhBackward : d.tanhBackward)(b[0], b[1], b[2], n),
    3,
    (b, i) => sum(b[0][i], b[2][i] * (1 - b[1][i] * b[1][i])),
  ],
  ['reluBackward', 3, (b, n, k) => (k === 'ts' ? act.reluBackward : d.reluBackward)(b[0], b[1], b[2], n), 0],
];

test('the element-wise wasm kernels equal their TypeScript twins: every size, nothing past the end', () => {
  onBackend('wasm', () => {
    for (const [name, count, run, ulps, terms] of cases)
      for (const n of sizes) {
        const [ts, wasm] = twins(count, n, n + name.length);
        assert.ok(onWasm(wasm), 'the buffers live in the heap');
        const before = ts.map((b) => b.slice());
        run(ts, n, 'ts');
        run(wasm, n, 'wasm');
        assertUlps(`${name} n ${n}`, wasm, ts, ulps, terms && ((i) => terms(before, i)));
      }
  });
});

type RowCase = [
  string,
  (b: Float32Array[], rows: number, cols: number, k: 'ts' | 'wasm') => void,
  number,
  ((b: Float32Array[], i: number, cols: number) => number)?,
];
const rowCases: RowCase[] = [
  ['addRow', (b, r, c, k) => (k === 'ts' ? ew.addRow : d.addRow)(b[0], b[1], b[2], r, c), 0],
  ['subRow', (b, r, c, k) => (k === 'ts' ? ew.subRow : d.subRow)(b[0], b[1], b[2], r, c), 0],
  ['mulRow', (b, r, c, k) => (k === 'ts' ? ew.mulRow : d.mulRow)(b[0], b[1], b[2], r, c), 0],
  [
    'mulRowBackwardA',
    (b, r, c, k) => (k === 'ts' ? ew.mulRowBackwardA : d.mulRowBackwardA)(b[0], b[1], b[2], r, c),
    1,
    (b, i, c) => sum(b[0][i], b[1][i] * b[2][i % c]),
  ],
  ['mulRowBackwardV', (b, r, c, k) => (k === 'ts' ? ew.mulRowBackwardV : d.mulRowBackwardV)(b[2], b[0], b[1], r, c), 0],
  // a block of rows from element 1, rows c + 1 apart, as many as fit; the vector from element 1
  [
    'addRowAt',
    (b, r, c, k) =>
      (k === 'ts' ? ew.addRowAt : d.addRowAt)(b[0], 1, b[2], Math.floor((r * c - 1 - c) / (c + 1)) + 1, c, c + 1, 1),
    0,
  ],
  ['rowSum β 0', (b, r, c, k) => (k === 'ts' ? rowSum : d.rowSum)(b[2], b[0], r, c, 0.5, 0), 0],
  [
    'rowSum β 1, offsets, lda',
    (b, r, c, k) => (k === 'ts' ? rowSum : d.rowSum)(b[2], b[0], Math.max(1, r - 1), c - 1 || 1, -2, 1, 1, c, 1),
    0,
  ],
];

test('the row-broadcast and column-sum wasm kernels equal their TypeScript twins (the sums bit for bit, in f64 lanes)', () => {
  onBackend('wasm', () => {
    for (const [name, run, ulps, terms] of rowCases)
      for (const rows of [1, 3, 33])
        for (const cols of [1, 5, 8, 65]) {
          const n = rows * cols;
          const rng = new Rng(rows * 100 + cols);
          const make = () => [
            allocPinned('f32', n + 1),
            allocPinned('f32', n + 1),
            allocPinned('f32', Math.max(cols, n) + 1),
          ];
          const ts = make(),
            wasm = make();
          for (let q = 0; q < 3; q++) {
            rng.fillUniform(ts[q], -3, 3);
            wasm[q].set(ts[q]);
          }
          const before = ts.map((b) => b.slice());
          run(ts, rows, cols, 'ts');
          run(wasm, rows, cols, 'wasm');
          assertUlps(`${name} ${rows}×${cols}`, wasm, ts, ulps, terms && ((i) => terms(before, i, cols)));
        }
  });
});

test('buffers outside the heap are staged in and out: the results are the same bit for bit', () => {
  onBackend('wasm', () => {
    for (const [name, count, run] of cases) {
      const n = 65;
      const [inHeap] = twins(count, n, 5);
      const outside = inHeap.map((b) => Float32Array.from(b));
      assert.not.ok(onWasm(outside));
      run(inHeap, n, 'wasm');
      run(outside, n, 'wasm');
      outside.forEach((b, q) => assert.equal([...b].map(String), [...inHeap[q]].map(String), `${name}: buffer ${q}`));
    }
  });
});

test('NaN goes where the TypeScript kernels send it: relu and maximum pick, sums carry it', () => {
  onBackend('wasm', () => {
    const x = allocPinned('f32', 5),
      y = allocPinned('f32', 5),
      z = allocPinned('f32', 5);
    x.set([NaN, -0, 1, -1, NaN]);
    z.set([0, 0, 0, 0, 0]);
    d.reluForward(y, x, 5);
    assert.equal([...y], [0, 0, 1, 0, 0]);
    assert.ok(Object.is(y[1], 0), 'relu(−0) is +0, as pre > 0 ? pre : 0 gives');
    d.maximum(y, x, z, 5);
    assert.equal([...y].map(String), ['0', '0', '1', '0', '0'], 'a NaN a loses to b, as a ≥ b ? a : b has it');
    const out = allocPinned('f32', 1);
    d.rowSum(out, x, 5, 1, 1, 0);
    assert.ok(Number.isNaN(out[0]));
  });
});

test('the wasm softmax cross-entropy equals its TypeScript twin: probabilities within 3 + |z − m| ulps, losses to 1e-6, gradients; large, −∞ and NaN logits', () => {
  onBackend('wasm', () => {
    for (const classes of [1, 3, 7, 65, 257])
      for (const rows of [1, 5]) {
        const n = rows * classes,
          rng = new Rng(classes * 10 + rows);
        const logits = allocPinned('f32', n);
        rng.fillUniform(logits, -8, 8);
        if (classes >= 3) {
          logits[1] = 80; // would overflow e^z without the maximum taken off
          logits[classes + 2] = -Infinity;
        }
        if (rows === 5 && classes >= 3) logits[3 * classes + 1] = NaN;
        const targets = Int32Array.from({ length: rows }, (_, r) => (r * 7) % classes);
        const mask = allocPinned('f32', rows);
        mask.fill(1);
        mask[0] = 0.5;
        const run = (kind: 'ts' | 'wasm') => {
          const probs = allocPinned('f32', n),
            loss = alloc('f64', rows),
            grad = allocPinned('f32', n);
          grad.fill(0.25);
          (kind === 'ts' ? sce.softmaxCrossEntropyForward : d.softmaxCrossEntropyForward)(
            probs,
            loss,
            logits,
            targets,
            rows,
            classes,
          );
          (kind === 'ts' ? sce.softmaxCrossEntropyBackward : d.softmaxCrossEntropyBackward)(
            grad,
            probs,
            targets,
            mask,
            0.5,
            rows,
            classes,
          );
          return { probs, loss, grad };
        };
        const ts = run('ts'),
          wasm = run('wasm');
        const what = `${rows}×${classes}`;
        // z − m is rounded to float32 before the exponential (the oracle subtracts in a double):
        // that costs e^(z−m) up to |z − m| ulps, on top of the exponential's 2 and the division's 1.
        const spread = (i: number) => {
          const row = Math.floor(i / classes) * classes;
          const max = Math.max(...[...logits.subarray(row, row + classes)].filter((z) => !Number.isNaN(z)));
          return 3 + Math.abs(logits[i] - max);
        };
        assertUlps(`${what} probabilities`, [wasm.probs], [ts.probs], spread);
        assertUlps(
          `${what} gradients`,
          [wasm.grad],
          [ts.grad],
          (i) => 2 + spread(i),
          () => 0.5,
        );
        ts.loss.forEach((l, r) => {
          if (Number.isNaN(l)) assert.ok(Number.isNaN(wasm.loss[r]), `${what}: row ${r}'s loss is NaN in both`);
          else
            assert.ok(
              Math.abs(wasm.loss[r] - l) <= 1e-6 * Math.max(1, Math.abs(l)),
              `${what}: row ${r}: loss ${wasm.loss[r]} against ${l}`,
            );
        });
      }
  });
});

test.run();
