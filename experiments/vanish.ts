// The vanishing gradient, measured: for a loss on the last step only, L = Σ h_T ⊙ r, the
// norm of ∂L/∂h_t at every earlier step t. For a plain RNN, ∂h_T/∂h_t is a product of
// T − t Jacobians diag(1 − h²)·W_hᵀ, and it shrinks geometrically; the LSTM's cell state
// passes gradient along ∂c_t/∂c_{t−1} = diag(f_t), the constant error carousel, which a
// forget gate near 1 keeps from vanishing. Measured in float64 on the unfused step, where
// every h_t and c_t is a tensor on the tape.
import { ArgumentError, ops, Rng, Tape, Tensor } from '../core/index.js';
import { RecurrentLayer, traceCell, type CellKind } from '../cells/index.js';

export interface VanishOptions {
  length: number;
  hiddenSize: number;
  inputSize: number;
  seed: number;
  /** LSTM forget-gate bias at initialisation (1, as the practical guides advise). */
  forgetBias: number;
  /** RNN: tanh (default) or the sigmoid of Elman's network. */
  nonlinearity?: 'tanh' | 'sigmoid';
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
  const layer = new RecurrentLayer({
    cell,
    inputSize: I,
    hiddenSize: H,
    dtype: 'f64',
    build: 'unfused',
    seed,
    forgetBias: cell === 'lstm' ? options.forgetBias : undefined,
    nonlinearity: cell === 'rnn' ? options.nonlinearity : undefined,
  });
  const rng = new Rng(seed + 1);
  const x = Tensor.zeros([T, 1, I], 'f64');
  for (let t = 0; t < T; t++) rng.fillUniform(x.data.subarray(t * I, (t + 1) * I), -1, 1);
  const r = Tensor.zeros([1, H], 'f64');
  rng.fillUniform(r.data, -1, 1);
  return gradientFlow(layer, x, r);
}

/**
 * The same measure for a given layer (a trained one, say) over a given input x [T, 1, I]:
 * the first cell stepped over x from a zero state, L = Σ h_T ⊙ r, and ‖∂L/∂h_t‖ (and
 * ‖∂L/∂c_t‖, the mean f_t) at every step, in the layer's dtype.
 */
export function gradientFlow(layer: RecurrentLayer, x: Tensor, r: Tensor): GradientProfile {
  const unit = layer.cells[0][0];
  const [T, B, I] = x.shape;
  if (B !== 1 || I !== unit.inputSize)
    throw new ArgumentError('gradientFlow', 'x', `a [T, 1, ${unit.inputSize}] tensor`, `[${x.shape.join(', ')}]`);
  const tape = new Tape();
  const terms = traceCell(tape, unit, x);
  const hs = terms.h,
    cs = terms.c ?? [];
  const fs = unit.hasCellState ? hs.map((_, t) => (terms.f === undefined ? 1 : ops.mean(null, terms.f[t]).item())) : [];
  tape.backward(ops.sum(tape, ops.mul(tape, hs[T - 1], r)));
  const norm = (t: Tensor) => (t.grad === null ? 0 : Math.hypot(...t.grad));
  return { h: hs.map(norm), c: unit.hasCellState ? cs.map(norm) : null, f: unit.hasCellState ? fs : null };
}

/** The geometric mean over seeds, step by step (the right average on a log scale). */
export function geometricMean(rows: readonly number[][]): number[] {
  return rows[0].map(
    (_, t) => 10 ** (rows.reduce((s, row) => s + Math.log10(Math.max(row[t], 1e-300)), 0) / rows.length),
  );
}
