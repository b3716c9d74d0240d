// The vanishing gradient, measured: for a loss on the last step only, L = Σ h_T ⊙ r, the
// norm of ∂L/∂h_t at every earlier step t. For a plain RNN, ∂h_T/∂h_t is a product of
// T − t Jacobians diag(1 − h²)·W_hᵀ, and it shrinks geometrically; the LSTM's cell state
// passes gradient along ∂c_t/∂c_{t−1} = diag(f_t), the constant error carousel, which a
// forget gate near 1 keeps from vanishing. Measured in float64 on the unfused step, where
// every h_t and c_t is a tensor on the tape.
import { ops, Rng, Tape, Tensor } from '../core/index.js';
import { LstmCell, RecurrentLayer, type CellKind } from '../cells/index.js';

export interface VanishOptions {
  length: number;
  hiddenSize: number;
  inputSize: number;
  seed: number;
  /** LSTM forget-gate bias at initialisation (1, as the practical guides advise). */
  forgetBias: number;
}

export interface GradientProfile {
  /** ‖∂L/∂h_t‖ for t = 0 … T−1. */
  h: number[];
  /** LSTM: ‖∂L/∂c_t‖. */
  c: number[] | null;
  /** LSTM: the mean forget-gate activation at each step (∂c_t/∂c_{t−1} = f_t). */
  f: number[] | null;
}

export function gradientProfile(cell: CellKind, options: VanishOptions): GradientProfile {
  const { length: T, hiddenSize: H, inputSize: I, seed } = options;
  const layer = new RecurrentLayer({ cell, inputSize: I, hiddenSize: H, dtype: 'f64', build: 'unfused', seed, forgetBias: cell === 'lstm' ? options.forgetBias : undefined });
  const unit = layer.cells[0][0];
  const rng = new Rng(seed + 1);
  const tape = new Tape();
  const prepared = unit.prepare(tape);
  let state = unit.initialState(Tensor.zeros([1, H], 'f64'), unit.hasCellState ? Tensor.zeros([1, H], 'f64') : null);
  const hs: Tensor[] = [], cs: Tensor[] = [], fs: number[] = [];
  for (let t = 0; t < T; t++) {
    const x = Tensor.zeros([1, I], 'f64');
    rng.fillUniform(x.data, -1, 1);
    if (unit instanceof LstmCell) {
      const r = unit.stepWithGates(tape, x, state, prepared);
      state = r.state;
      fs.push(r.gates.f === null ? 1 : ops.mean(null, r.gates.f).item());
    } else state = unit.step(tape, x, state, prepared);
    hs.push(state[0]);
    if (unit.hasCellState) cs.push(state[1]);
  }
  const r = Tensor.zeros([1, H], 'f64');
  rng.fillUniform(r.data, -1, 1);
  tape.backward(ops.sum(tape, ops.mul(tape, hs[T - 1], r)));
  const norm = (t: Tensor) => (t.grad === null ? 0 : Math.hypot(...t.grad));
  return { h: hs.map(norm), c: unit.hasCellState ? cs.map(norm) : null, f: unit.hasCellState ? fs : null };
}

/** The geometric mean over seeds, step by step (the right average on a log scale). */
export function geometricMean(rows: readonly number[][]): number[] {
  return rows[0].map((_, t) => 10 ** (rows.reduce((s, row) => s + Math.log10(Math.max(row[t], 1e-300)), 0) / rows.length));
}
