// Losses over sequences, built from core ops so that gradients flow through the tape.
//
//   every step:  L = Σ_{t,b} m_{t,b} · CE(z_{t,b}, y_{t,b})  /  Σ m   ('mean', m the padding mask)
//                                                     or not divided ('sum')
//   last step:   L = mean_b CE(z_{len_b − 1, b}, y_b)   (each sequence's own last step)
//   mse:         L = mean (p − y)²
import { ArgumentError, ops, type Reduction, type Tape, type Tensor } from '../core/index.js';

export interface StepLossOptions {
  /** One weight per [t, b] (time-major), 0 for padding. */
  mask?: ArrayLike<number>;
  reduction?: Reduction;
}

/** Cross-entropy at every step: logits [T, B, C], targets [T·B] time-major. */
export function stepCrossEntropy(
  tape: Tape | null,
  logits: Tensor,
  targets: ArrayLike<number>,
  options: StepLossOptions = {},
): Tensor {
  if (logits.shape.length !== 3)
    throw new ArgumentError('stepCrossEntropy', 'logits', '[T, B, C]', `[${logits.shape.join(',')}]`, true);
  return ops.softmaxCrossEntropy(tape, logits, targets, { mask: options.mask, reduction: options.reduction });
}

export interface LastStepOptions {
  /**
   * y is batch-first [B, T, F]. By default y's own layout tag decides (a recurrent layer's
   * output carries one, and Linear keeps it), and an untagged y is time-major; a flag that
   * contradicts the tag is an error.
   */
  batchFirst?: boolean;
}

/**
 * The rows of y [T, B, F] (or [B, T, F]) at each sequence's last step (t = lengths[b] − 1,
 * or the last of all): [B, F].
 */
export function lastStep(
  tape: Tape | null,
  y: Tensor,
  lengths?: ArrayLike<number>,
  options: LastStepOptions = {},
): Tensor {
  const tagged = y.layout === null ? null : y.layout === 'batch-first';
  if (options.batchFirst !== undefined && tagged !== null && options.batchFirst !== tagged) {
    throw new ArgumentError(
      'lastStep',
      'batchFirst',
      `${tagged} for this y (the output of a ${y.layout} layer)`,
      options.batchFirst,
    );
  }
  const batchFirst = options.batchFirst ?? tagged ?? false;
  const layout = batchFirst ? '[B, T, F]' : '[T, B, F]';
  if (y.shape.length !== 3) throw new ArgumentError('lastStep', 'y', `${layout}`, `[${y.shape.join(',')}]`, true);
  const [T, B] = batchFirst ? [y.shape[1], y.shape[0]] : [y.shape[0], y.shape[1]];
  const F = y.shape[2];
  if (lengths !== undefined && lengths.length !== B)
    throw new ArgumentError(
      'lastStep',
      'lengths',
      `${B} values, one per sequence of y ${layout} = [${y.shape.join(',')}]`,
      `${lengths.length}`,
      true,
    );
  const rows = Array.from({ length: B }, (_, b) => {
    const n = lengths === undefined ? T : lengths[b];
    if (!Number.isInteger(n) || n < 1 || n > T)
      throw new ArgumentError('lastStep', `lengths[${b}]`, `an integer in [1, ${T}]`, n);
    return batchFirst ? b * T + n - 1 : (n - 1) * B + b;
  });
  return ops.gather(tape, ops.reshape(tape, y, [T * B, F]), rows);
}

/** Cross-entropy at each sequence's last step only: logits [T, B, C] (or [B, T, C], see lastStep), targets [B]. */
export function lastStepCrossEntropy(
  tape: Tape | null,
  logits: Tensor,
  targets: ArrayLike<number>,
  lengths?: ArrayLike<number>,
  reduction: Reduction = 'mean',
  options: LastStepOptions = {},
): Tensor {
  return ops.softmaxCrossEntropy(tape, lastStep(tape, logits, lengths, options), targets, { reduction });
}

/** Mean squared error between a prediction and a target of the same shape. */
export function meanSquaredError(tape: Tape | null, prediction: Tensor, target: Tensor): Tensor {
  return ops.mse(tape, prediction, target);
}
