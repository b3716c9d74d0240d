// Backpropagation through time over long sequences.
//
// Full BPTT runs the whole sequence forward on one tape and backward once. Truncated BPTT
// (Williams & Peng 1990, "TBPTT(k1, k2)") runs k1 steps forward at a time and, every k1
// steps, backpropagates the loss of those k1 new steps through the last k2 steps only: the
// window starts from the hidden state carried from before it, detached from the old tape,
// so no gradient flows further back. Here every window is recomputed from the carried state
// at its start (states are kept at every k1 boundary), and the windows' gradients add up;
// with k2 ≥ T every window reaches back to step 0 and the sum is exactly the full gradient.
import { ArgumentError, ops, Tape, Tensor } from '../core/index.js';

/** A recurrent state: the layer's h (and c), [layers·directions, B, H]. */
export interface RecurrentState {
  h: Tensor;
  c: Tensor | null;
}

/** A copy of the state's values that no gradient will flow back through. */
export function detachState(state: RecurrentState): RecurrentState {
  const copy = (t: Tensor) => Tensor.from(t.data, t.shape, t.dtype);
  return { h: copy(state.h), c: state.c === null ? null : copy(state.c) };
}

export interface WindowModel {
  /** Run steps [from, to) on the tape from `state` (null: zeros); return the per-step outputs and the state after. */
  forward(
    tape: Tape,
    from: number,
    to: number,
    state: RecurrentState | null,
  ): { outputs: Tensor; state: RecurrentState };
  /** The loss of steps [scoredFrom, to) given the outputs of steps [from, to). */
  loss(tape: Tape, outputs: Tensor, from: number, scoredFrom: number, to: number): Tensor;
}

export interface TbpttOptions {
  /** Steps between backward passes. */
  k1: number;
  /** Steps each backward pass reaches back: a multiple of k1, or ≥ T. */
  k2: number;
}

/**
 * Gradients of a T-step sequence by TBPTT(k1, k2), added into the parameters' gradients
 * (zero them first). Returns the sum of the windows' losses and the detached state after step T.
 */
export function truncatedBptt(
  model: WindowModel,
  T: number,
  options: TbpttOptions,
  initial: RecurrentState | null = null,
): { loss: number; state: RecurrentState } {
  const { k1, k2 } = options;
  if (!Number.isInteger(k1) || k1 < 1) throw new ArgumentError('truncatedBptt', 'k1', 'a positive integer', k1);
  if (!Number.isInteger(k2) || k2 < k1 || (k2 < T && k2 % k1 !== 0)) {
    throw new ArgumentError('truncatedBptt', 'k2', `a multiple of k1 (${k1}) or at least T (${T})`, k2);
  }
  // Carried states at the k1 boundaries: states.get(t) is the state before step t.
  const states = new Map<number, RecurrentState | null>([[0, initial === null ? null : detachState(initial)]]);
  let total = 0;
  for (let scoredFrom = 0; scoredFrom < T; scoredFrom += k1) {
    const to = Math.min(T, scoredFrom + k1);
    const from = Math.max(0, to - k2) - (Math.max(0, to - k2) % k1);
    const tape = new Tape();
    const pieces: Tensor[] = [];
    let state = states.get(from)!;
    for (let t = from; t < to; t += k1) {
      const end = Math.min(to, t + k1);
      const step = model.forward(tape, t, end, state);
      pieces.push(step.outputs);
      state = step.state;
      if (!states.has(end)) states.set(end, detachState(state));
    }
    const outputs = pieces.length === 1 ? pieces[0] : concatSteps(tape, pieces);
    const loss = model.loss(tape, outputs, from, scoredFrom, to);
    total += loss.item();
    tape.backward(loss);
    tape.reset();
  }
  return { loss: total, state: states.get(T)! };
}

/** Join [t_i, B, F] outputs along time. */
function concatSteps(tape: Tape, pieces: Tensor[]): Tensor {
  const steps = pieces.flatMap((p) => Array.from({ length: p.shape[0] }, (_, t) => ops.selectStep(tape, p, t)));
  return ops.stack(tape, steps);
}
