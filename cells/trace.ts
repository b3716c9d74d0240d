// Stepping a cell through one sequence by hand, keeping every term of its equations at every
// step (Cell.stepTerms): what the pictures of activations, gate saturation, gradient flow and
// the equations with numbers are made of. The unfused step, so each term is a tensor (on the
// tape when one is given).
import { ArgumentError, carry, dispose, ops, Tensor, withScope, type Buf, type Tape } from '../core/index.js';
import type { Cell } from './cell.js';

/** The cell over x [T, 1, I] from a zero state: each term's tensor [1, H] at every step. */
export function traceCell(tape: Tape | null, cell: Cell, x: Tensor): Record<string, Tensor[]> {
  const [T, B, I] = x.shape;
  if (x.shape.length !== 3 || B !== 1 || I !== cell.inputSize)
    throw new ArgumentError('traceCell', 'x', `[T, 1, ${cell.inputSize}]`, `[${x.shape.join(', ')}]`, true);
  const H = cell.hiddenSize,
    prepared = cell.prepare(tape);
  let state = cell.initialState(
    Tensor.zeros([1, H], cell.dtype),
    cell.hasCellState ? Tensor.zeros([1, H], cell.dtype) : null,
  );
  const out: Record<string, Tensor[]> = {};
  for (let t = 0; t < T; t++) {
    const step = cell.stepTerms(tape, ops.selectStep(tape, x, t), state, prepared);
    state = step.state;
    for (const [name, value] of Object.entries(step.terms)) (out[name] ??= []).push(value);
  }
  return out;
}

/**
 * The same walk with no tape, each step in an allocation scope of its own: `visit` reads the
 * step's terms (to copy what it keeps), and only the state goes on to the next step, so that
 * a long text holds one step's tensors at a time.
 */
export function traceCellValues(cell: Cell, x: Tensor, visit: (t: number, terms: Record<string, Buf>) => void): void {
  const [T, B, I] = x.shape;
  if (x.shape.length !== 3 || B !== 1 || I !== cell.inputSize)
    throw new ArgumentError('traceCellValues', 'x', `[T, 1, ${cell.inputSize}]`, `[${x.shape.join(', ')}]`, true);
  const H = cell.hiddenSize,
    prepared = cell.prepare(null);
  let state = cell.initialState(
    Tensor.zeros([1, H], cell.dtype),
    cell.hasCellState ? Tensor.zeros([1, H], cell.dtype) : null,
  );
  for (let t = 0; t < T; t++) {
    state = carry(
      state,
      withScope(() => {
        const step = cell.stepTerms(null, ops.selectStep(null, x, t), state, prepared);
        visit(t, Object.fromEntries(Object.entries(step.terms).map(([name, value]) => [name, value.data])));
        return step.state;
      }),
    );
  }
  dispose(state);
}
