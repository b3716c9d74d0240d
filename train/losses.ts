// Losses over sequences, built from core ops so that gradients flow through the tape.
//
//   every step:  L = Σ_{t,b} m_{t,b} · CE(z_{t,b}, y_{t,b})  /  Σ m   ('mean', m the padding mask)
//                                                     or not divided ('sum')
//   last step:   L = mean_b CE(z_{len_b − 1, b}, y_b)   (each sequence's own last step)
//   mse:         L = mean (p − y)²
import { ops, type Reduction, type Tape, type Tensor } from '../core/index.js';

export interface StepLossOptions {
  /** One weight per [t, b] (time-major), 0 for padding. */
  mask?: ArrayLike<number>;
  reduction?: Reduction;
}

/** Cross-entropy at every step: logits [T, B, C], targets [T·B] time-major. */
export function stepCrossEntropy(tape: Tape | null, logits: Tensor, targets: ArrayLike<number>, options: StepLossOptions = {}): Tensor {
  if (logits.shape.length !== 3) throw new Error(`stepCrossEntropy: logits must be [T, B, C], got [${logits.shape.join(',')}]`);
  return ops.softmaxCrossEntropy(tape, logits, targets, { mask: options.mask, reduction: options.reduction });
}

/** The rows of y [T, B, F] at each sequence's last step (t = lengths[b] − 1, or T − 1): [B, F]. */
export function lastStep(tape: Tape | null, y: Tensor, lengths?: ArrayLike<number>): Tensor {
  if (y.shape.length !== 3) throw new Error(`lastStep: y must be [T, B, F], got [${y.shape.join(',')}]`);
  const [T, B, F] = y.shape;
  if (lengths !== undefined && lengths.length !== B) throw new Error(`lastStep: lengths must hold ${B} values, got ${lengths.length}`);
  const rows = Array.from({ length: B }, (_, b) => {
    const n = lengths === undefined ? T : lengths[b];
    if (!Number.isInteger(n) || n < 1 || n > T) throw new Error(`lastStep: lengths[${b}] must be an integer in [1, ${T}], got ${n}`);
    return (n - 1) * B + b;
  });
  return ops.gather(tape, ops.reshape(tape, y, [T * B, F]), rows);
}

/** Cross-entropy at each sequence's last step only: logits [T, B, C], targets [B]. */
export function lastStepCrossEntropy(tape: Tape | null, logits: Tensor, targets: ArrayLike<number>, lengths?: ArrayLike<number>, reduction: Reduction = 'mean'): Tensor {
  return ops.softmaxCrossEntropy(tape, lastStep(tape, logits, lengths), targets, { reduction });
}

/** Mean squared error between a prediction and a target of the same shape. */
export function meanSquaredError(tape: Tape | null, prediction: Tensor, target: Tensor): Tensor {
  return ops.mse(tape, prediction, target);
}
