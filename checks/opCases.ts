// One gradient-check case per op (and per form of an op): random inputs of odd sizes and
// the loss L = Σ y ⊙ r with random weights r, so that every output element carries its
// own weight (a plain sum would hide errors that cancel). The CLI's `gradcheck` and the
// specs run these same cases in float64 and float32.
import {
  gradcheck,
  ops,
  randomTensor,
  Rng,
  weightedSum,
  type DType,
  type GradcheckOptions,
  type GradcheckReport,
  type Shape,
  type Tape,
  type Tensor,
} from '../core/index.js';

export interface GradcheckCase {
  name: string;
  /** Build the inputs and the loss for one dtype; the rng makes them reproducible. */
  build(dtype: DType, rng: Rng): { inputs: Tensor[]; loss: (tape: Tape | null) => Tensor };
}

/** A case whose loss is Σ f(inputs) ⊙ r, with r drawn once for f's output shape. */
function weighted(
  name: string,
  shapes: Shape[],
  f: (tape: Tape | null, xs: Tensor[]) => Tensor,
  awayFromZero = false,
): GradcheckCase {
  return {
    name,
    build(dtype, rng) {
      const inputs = shapes.map((s, q) => randomTensor(rng, s, dtype, `x${q}`));
      if (awayFromZero)
        for (const t of inputs) for (let q = 0; q < t.size; q++) t.data[q] += t.data[q] >= 0 ? 0.1 : -0.1;
      const y = f(null, inputs);
      const r = randomTensor(rng, y.shape, dtype, 'r');
      return { inputs, loss: (tape) => weightedSum(tape, f(tape, inputs), r) };
    },
  };
}

const targets = [3, 0, 4, 4, 1, 2, 0];

export const opCases: GradcheckCase[] = [
  weighted(
    'matmul',
    [
      [3, 5],
      [5, 4],
    ],
    (t, [a, b]) => ops.matmul(t, a, b),
  ),
  weighted(
    'matmul aᵀ',
    [
      [5, 3],
      [5, 4],
    ],
    (t, [a, b]) => ops.matmul(t, a, b, true, false),
  ),
  weighted(
    'matmul bᵀ',
    [
      [3, 5],
      [4, 5],
    ],
    (t, [a, b]) => ops.matmul(t, a, b, false, true),
  ),
  weighted(
    'matmul aᵀbᵀ',
    [
      [5, 3],
      [4, 5],
    ],
    (t, [a, b]) => ops.matmul(t, a, b, true, true),
  ),
  weighted(
    'add',
    [
      [3, 4],
      [3, 4],
    ],
    (t, [a, b]) => ops.add(t, a, b),
  ),
  weighted('add row-broadcast', [[2, 3, 4], [4]], (t, [a, b]) => ops.add(t, a, b)),
  weighted(
    'sub',
    [
      [3, 4],
      [3, 4],
    ],
    (t, [a, b]) => ops.sub(t, a, b),
  ),
  weighted('sub row-broadcast', [[3, 4], [4]], (t, [a, b]) => ops.sub(t, a, b)),
  weighted(
    'mul',
    [
      [3, 4],
      [3, 4],
    ],
    (t, [a, b]) => ops.mul(t, a, b),
  ),
  weighted('mul row-broadcast', [[3, 4], [4]], (t, [a, b]) => ops.mul(t, a, b)),
  weighted('scale', [[3, 4]], (t, [a]) => ops.scale(t, a, -1.7)),
  weighted('affine', [[3, 4]], (t, [a]) => ops.affine(t, a, -1, 1)),
  weighted('sigmoid', [[3, 5]], (t, [x]) => ops.sigmoid(t, ops.scale(t, x, 3))),
  weighted('tanh', [[3, 5]], (t, [x]) => ops.tanh(t, ops.scale(t, x, 2))),
  weighted('relu', [[3, 5]], (t, [x]) => ops.relu(t, x), true),
  weighted(
    'concat',
    [
      [2, 3],
      [2, 1],
      [2, 4],
    ],
    (t, xs) => ops.concat(t, xs),
  ),
  weighted('slice', [[3, 7]], (t, [x]) => ops.slice(t, x, 2, 3)),
  weighted('split', [[3, 7]], (t, [x]) => {
    const [p, q, s] = ops.split(t, x, [2, 4, 1]);
    return ops.concat(t, [ops.mul(t, p, p), ops.tanh(t, q), s]);
  }),
  weighted('selectStep', [[4, 2, 3]], (t, [x]) => ops.mul(t, ops.selectStep(t, x, 2), ops.selectStep(t, x, 1))),
  weighted(
    'stack',
    [
      [2, 3],
      [2, 3],
      [2, 3],
    ],
    (t, xs) => ops.stack(t, xs),
  ),
  weighted('reshape', [[2, 6]], (t, [x]) => ops.reshape(t, ops.mul(t, x, x), [3, 4])),
  weighted('sum', [[3, 4]], (t, [x]) => ops.sum(t, ops.mul(t, x, x))),
  weighted('mean', [[3, 4]], (t, [x]) => ops.mean(t, ops.mul(t, x, x))),
  weighted('softmaxCrossEntropy mean', [[7, 5]], (t, [z]) => ops.softmaxCrossEntropy(t, ops.scale(t, z, 2), targets)),
  weighted('softmaxCrossEntropy sum', [[7, 5]], (t, [z]) =>
    ops.softmaxCrossEntropy(t, ops.scale(t, z, 2), targets, { reduction: 'sum' }),
  ),
  weighted('softmaxCrossEntropy masked', [[7, 5]], (t, [z]) =>
    ops.softmaxCrossEntropy(t, ops.scale(t, z, 2), targets, { mask: [1, 1, 0, 1, 0, 1, 1] }),
  ),
  weighted(
    'mse',
    [
      [3, 4],
      [3, 4],
    ],
    (t, [p, y]) => ops.mse(t, p, y),
  ),
  weighted('embedding', [[5, 3]], (t, [w]) => ops.embedding(t, w, [4, 1, 4, 0, 2, 1], [2, 3])),
  weighted('gather', [[4, 3]], (t, [x]) => ops.gather(t, ops.tanh(t, x), [3, 2, 1, 0, 0])),
  weighted(
    'maximum',
    [
      [3, 4],
      [3, 4],
    ],
    (t, [a, b]) => ops.maximum(t, a, b),
  ),
  weighted('dropout', [[4, 5]], (t, [x]) => ops.dropout(t, x, { p: 0.3, rng: new Rng(7), training: true })),
];

export interface CaseResult {
  name: string;
  dtype: DType;
  report: GradcheckReport;
}

/**
 * Run cases in the given dtypes. Each case draws from an Rng seeded by its name, so a
 * case gets the same inputs whether it runs alone or among others.
 */
export function runCases(
  cases: readonly GradcheckCase[],
  dtypes: readonly DType[],
  options: GradcheckOptions = {},
): CaseResult[] {
  const results: CaseResult[] = [];
  for (const dtype of dtypes) {
    for (const c of cases) {
      const { inputs, loss } = c.build(dtype, new Rng(nameSeed(c.name)));
      results.push({ name: c.name, dtype, report: gradcheck(loss, inputs, options) });
    }
  }
  return results;
}

/** FNV-1a over the name's UTF-16 code units: a stable seed per case name. */
function nameSeed(name: string): number {
  let h = 0x811c9dc5;
  for (let q = 0; q < name.length; q++) h = Math.imul(h ^ name.charCodeAt(q), 0x01000193);
  return h >>> 0;
}
