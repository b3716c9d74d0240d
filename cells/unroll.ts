// The unfused pass: the cell's step, composed of core ops, applied once per time step.
// Every intermediate is a tensor on the tape, which is what makes this build the
// teaching view and the oracle for the fused one.
//
// Variable lengths: at a step where a sequence has ended, its output is 0 and its state
// is carried unchanged (state = m ⊙ new + (1 − m) ⊙ old, with m = 0 for ended rows), so
// no gradient passes through the padded steps. The backward direction reverses each
// sequence within its own length first, and the outputs back afterwards.
import { alloc, copyLengths, ops, stepRowOrder, Tensor, type Tape } from '../core/index.js';
import type { Cell, Pass } from './cell.js';

export function unrollUnfused(
  tape: Tape | null,
  cell: Cell,
  x: Tensor,
  h0: Tensor,
  c0: Tensor | null,
  lengths: ArrayLike<number> | null,
  reverse: boolean,
): Pass {
  const [T, B] = x.shape;
  const lens = alloc('i32', B);
  copyLengths(`${cell.prefix} (unfused)`, lens, lengths, T, B);
  const seq = reverse ? reverseSequences(tape, x, lens) : x;
  const prepared = cell.prepare(tape);
  let state = cell.initialState(h0, c0);
  const ys: Tensor[] = [];
  for (let s = 0; s < T; s++) {
    const next = cell.step(tape, ops.selectStep(tape, seq, s), state, prepared);
    if (lens.every((n) => s < n)) {
      ys.push(next[0]);
      state = next;
      continue;
    }
    const keep = (t: Tensor, value: (b: number) => number) => rowMask(B, t.shape[1], t.dtype, value);
    ys.push(
      ops.mul(
        tape,
        next[0],
        keep(next[0], (b) => (s < lens[b] ? 1 : 0)),
      ),
    );
    state = next.map((n, q) =>
      ops.add(
        tape,
        ops.mul(
          tape,
          n,
          keep(n, (b) => (s < lens[b] ? 1 : 0)),
        ),
        ops.mul(
          tape,
          state[q],
          keep(n, (b) => (s < lens[b] ? 0 : 1)),
        ),
      ),
    );
  }
  const ySteps = ops.stack(tape, ys);
  return {
    y: reverse ? reverseSequences(tape, ySteps, lens) : ySteps,
    h: state[0],
    c: cell.hasCellState ? state[1] : null,
  };
}

/** A constant [B, width] tensor whose row b is value(b) everywhere. */
function rowMask(B: number, width: number, dtype: Tensor['dtype'], value: (b: number) => number): Tensor {
  const m = Tensor.zeros([B, width], dtype);
  for (let b = 0; b < B; b++) m.data.fill(value(b), b * width, (b + 1) * width);
  return m;
}

/** Each sequence of x [T, B, F] reversed within its own length; padded steps stay where they are. */
export function reverseSequences(tape: Tape | null, x: Tensor, lengths: Int32Array): Tensor {
  const [T, B, F] = x.shape;
  const rowOf = stepRowOrder(lengths, true, T, B);
  const rows = ops.reshape(tape, x, [T * B, F]);
  return ops.reshape(tape, ops.gather(tape, rows, rowOf), [T, B, F]);
}
