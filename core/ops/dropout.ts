// Inverted dropout: in training each element is kept with probability 1 − p and scaled
// by 1/(1 − p), so the expected value is unchanged and evaluation is the identity.
//
//   y = x ⊙ m,  m_q = 1/(1−p) with probability 1−p, else 0       ∂x += ∂y ⊙ m
import { mul, mulBackward } from '../../kernels/backend/pointwise.js';
import type { Buf } from '../../kernels/js/types.js';
import { allocScoped } from '../alloc.js';
import { ArgumentError } from '../errors.js';
import { Rng } from '../rng.js';
import type { Tape, TapeEntry } from '../tape.js';
import type { Tensor } from '../tensor.js';
import { checkTensors, output, record } from './common.js';

interface DropoutSaved {
  mask: Buf;
}

export interface DropoutOptions {
  /** Probability of zeroing an element, in [0, 1). */
  p: number;
  /** The seeded generator the mask is drawn from. */
  rng: Rng;
  /** Training drops; evaluation returns x itself. */
  training: boolean;
}

export function dropout(tape: Tape | null, x: Tensor, { p, rng, training }: DropoutOptions): Tensor {
  checkTensors('dropout', { x });
  if (typeof p !== 'number' || !(p >= 0 && p < 1))
    throw new ArgumentError('dropout', 'p', 'a probability in [0, 1)', p);
  if (typeof training !== 'boolean') throw new ArgumentError('dropout', 'training', 'true or false', training);
  if (!training || p === 0) return x;
  if (!(rng instanceof Rng))
    throw new ArgumentError('dropout', 'rng', 'a seeded Rng when training with p > 0 (it draws the masks)', rng);
  const mask = allocScoped(x.dtype, x.size);
  const keep = 1 / (1 - p);
  for (let q = 0; q < x.size; q++) mask[q] = rng.uniform() < p ? 0 : keep;
  const out = output(tape, [x], x.shape);
  mul(out.data, x.data, mask, x.size);
  record(tape, dropoutBackward, out, [x], { mask });
  return out;
}

function dropoutBackward(e: TapeEntry<DropoutSaved>): void {
  const x = e.inputs[0];
  mulBackward(x.ensureGrad(), e.out.grad!, e.saved.mask, x.size);
}
