// Losses, each returning a scalar (shape []).
//
// softmaxCrossEntropy: logits [..., C], one integer target per row.
//   row loss ℓ_r = −log softmax(z_r)[t_r], weighted by an optional mask w_r (0 for padding)
//   'mean': L = Σ w_r ℓ_r / Σ w_r      'sum': L = Σ w_r ℓ_r
//   ∂z_r = (∂L/∂ℓ_r) · (softmax(z_r) − onehot(t_r))
//
// mse: L = mean((p − y)²)     ∂p += 2(p − y)/n · ∂L,  ∂y −= the same
import type { Buf, IndexBuf } from '../../kernels/js/types.js';
import { axpy, softmaxCrossEntropyBackward, softmaxCrossEntropyForward, sub } from '../../kernels/backend/pointwise.js';
import { allocScoped } from '../alloc.js';
import { sameShape } from '../shape.js';
import type { Tape, TapeEntry } from '../tape.js';
import type { Tensor } from '../tensor.js';
import { checkIndices, checkTensors, output, record, rowsAndCols, shapeStr } from './common.js';
import { ArgumentError } from '../errors.js';

export type Reduction = 'mean' | 'sum';

export interface CrossEntropyOptions {
  /** Per-row weights, usually 1 for a real token and 0 for padding. */
  mask?: ArrayLike<number>;
  /** 'mean' (default) divides by the total mask weight (the row count without a mask); 'sum' does not. */
  reduction?: Reduction;
}

interface XentSaved {
  probs: Buf;
  targets: IndexBuf;
  mask: Buf | null;
  scale: number;
  rows: number;
  classes: number;
}

export function softmaxCrossEntropy(
  tape: Tape | null,
  logits: Tensor,
  targets: ArrayLike<number>,
  options: CrossEntropyOptions = {},
): Tensor {
  checkTensors('softmaxCrossEntropy', { logits });
  if (logits.shape.length === 0)
    throw new ArgumentError('softmaxCrossEntropy', 'logits', 'at least 1-D [..., classes]', 'a scalar', true);
  const { rows, cols: classes } = rowsAndCols(logits);
  const reduction = options.reduction ?? 'mean';
  if (reduction !== 'mean' && reduction !== 'sum') {
    throw new ArgumentError('softmaxCrossEntropy', 'reduction', "'mean' or 'sum'", reduction);
  }
  const t = checkIndices('softmaxCrossEntropy', 'targets', targets, classes, rows);
  const mask = options.mask === undefined ? null : checkMask(options.mask, rows, logits);
  const probs = allocScoped(logits.dtype, logits.size);
  const rowLoss = allocScoped('f64', rows);
  softmaxCrossEntropyForward(probs, rowLoss, logits.data, t, rows, classes);
  let total = 0,
    weight = 0;
  for (let r = 0; r < rows; r++) {
    const w = mask === null ? 1 : mask[r];
    if (w !== 0) total += w * rowLoss[r];
    weight += w;
  }
  // An all-padding batch has no tokens: its mean loss is defined as 0, with zero gradient.
  const scale = reduction === 'sum' ? 1 : weight === 0 ? 0 : 1 / weight;
  const out = output(tape, [logits], []);
  out.data[0] = total * scale;
  record(tape, xentBackward, out, [logits], { probs, targets: t, mask, scale, rows, classes });
  return out;
}

function checkMask(values: ArrayLike<number>, rows: number, logits: Tensor): Buf {
  if (values.length !== rows) {
    throw new ArgumentError(
      'softmaxCrossEntropy',
      'mask',
      `one weight per row (${rows} for logits ${shapeStr(logits.shape)})`,
      values.length,
    );
  }
  const mask = allocScoped(logits.dtype, rows);
  for (let r = 0; r < rows; r++) {
    if (!Number.isFinite(values[r]) || values[r] < 0) {
      throw new ArgumentError('softmaxCrossEntropy', `mask[${r}]`, 'a finite weight ≥ 0', values[r]);
    }
    mask[r] = values[r];
  }
  return mask;
}

function xentBackward(e: TapeEntry<XentSaved>): void {
  const { probs, targets, mask, scale, rows, classes } = e.saved;
  const logits = e.inputs[0];
  softmaxCrossEntropyBackward(logits.ensureGrad(), probs, targets, mask, scale * e.out.grad![0], rows, classes);
}

interface MseSaved {
  diff: Buf;
}

export function mse(tape: Tape | null, prediction: Tensor, target: Tensor): Tensor {
  checkTensors('mse', { prediction, target });
  if (!sameShape(prediction.shape, target.shape)) {
    throw new ArgumentError(
      'mse',
      'target',
      `of prediction's shape ${shapeStr(prediction.shape)}`,
      shapeStr(target.shape),
      true,
    );
  }
  if (prediction.size === 0)
    throw new ArgumentError('mse', 'prediction', 'at least one element', 'an empty tensor', true);
  const n = prediction.size;
  const diff = allocScoped(prediction.dtype, n);
  sub(diff, prediction.data, target.data, n);
  let total = 0;
  for (let q = 0; q < n; q++) total += diff[q] * diff[q];
  const out = output(tape, [prediction, target], []);
  out.data[0] = total / n;
  record(tape, mseBackward, out, [prediction, target], { diff });
  return out;
}

function mseBackward(e: TapeEntry<MseSaved>): void {
  const [prediction, target] = e.inputs;
  const s = (2 / prediction.size) * e.out.grad![0];
  if (prediction.requiresGrad) axpy(prediction.ensureGrad(), s, e.saved.diff, prediction.size);
  if (target.requiresGrad) axpy(target.ensureGrad(), -s, e.saved.diff, target.size);
}
