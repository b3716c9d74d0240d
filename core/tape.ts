// The tape: the record of a forward computation, walked backwards to get gradients.
//
// Each op appends one entry {backward, out, inputs, saved}. `backward` is a shared
// module-level function of the op (never a fresh closure) that reads out.grad and adds
// into the inputs' grads. The recording order is already a topological order, so
// `backward(loss)` is a plain reverse loop: no recursion, so a 10,000-step unroll
// cannot overflow the stack. A tape is always passed in explicitly; there is no global.
import type { Buf } from '../kernels/js/types.js';
import { shapeStr } from './shape.js';
import type { Tensor } from './tensor.js';
import { ArgumentError, NonFiniteError } from './errors.js';

export interface TapeEntry<S = unknown> {
  readonly backward: Backward<S>;
  /** The op's output (its first, for an op with several). */
  readonly out: Tensor;
  /** All of the op's outputs: a recurrent layer returns its outputs and its final states. */
  readonly outs: readonly Tensor[];
  readonly inputs: readonly Tensor[];
  readonly saved: S;
  /** A reusable workspace the entry's saved values live in, handed back after backward or reset. */
  readonly holds: Releasable | null;
}

export type Backward<S = unknown> = (entry: TapeEntry<S>) => void;

/** Something an entry borrows until its backward has run or the tape is reset. */
export interface Releasable {
  release(): void;
}

export class Tape {
  private entries: TapeEntry<any>[] = [];

  /** Append one op's entry. Ops call this through `record`, which skips it when no gradient is wanted. */
  push<S>(
    backward: Backward<S>,
    outs: Tensor | readonly Tensor[],
    inputs: readonly Tensor[],
    saved: S,
    holds: Releasable | null = null,
  ): void {
    const all = Array.isArray(outs) ? outs : [outs as Tensor];
    this.entries.push({ backward, out: all[0], outs: all, inputs, saved, holds });
  }

  get length(): number {
    return this.entries.length;
  }

  /**
   * Back-propagate from `root`: its gradient is set to `seed` (or 1 for a scalar), and
   * every recorded entry is walked in reverse. Gradients add into existing ones; clear
   * them (or the parameter store's) before a fresh pass.
   */
  backward(root: Tensor, seed?: Buf): void {
    const grad = root.ensureGrad();
    if (seed === undefined) {
      if (root.size !== 1) {
        throw new ArgumentError(
          'Tape.backward',
          'root',
          'a scalar loss (one element) when no seed is given',
          `shape ${shapeStr(root.shape)}`,
          true,
        );
      }
      if (!Number.isFinite(root.data[0])) {
        throw new NonFiniteError('Tape.backward', 'the loss', root.data[0], '; it must be finite');
      }
      grad[0] += 1;
    } else {
      if (seed.length !== root.size) {
        throw new ArgumentError(
          'Tape.backward',
          'seed',
          `${root.size} values like root ${shapeStr(root.shape)} (it must have ${root.size} elements)`,
          seed.length,
        );
      }
      for (let q = 0; q < seed.length; q++) grad[q] += seed[q];
    }
    for (let e = this.entries.length - 1; e >= 0; e--) {
      const entry = this.entries[e];
      if (entry.outs.some((t) => t.grad !== null)) entry.backward(entry);
      entry.holds?.release();
    }
  }

  /** Forget every entry (after a truncated-BPTT chunk, or a training step), handing back workspaces. */
  reset(): void {
    for (const entry of this.entries) entry.holds?.release();
    this.entries = [];
  }
}

/** True when an op's result must be recorded: a tape is present and some input wants a gradient. */
export function wantsGrad(tape: Tape | null, inputs: readonly Tensor[]): boolean {
  return tape !== null && inputs.some((t) => t.requiresGrad);
}
