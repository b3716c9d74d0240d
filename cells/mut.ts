// MUT1, MUT2, MUT3: the three best architectures found by Jozefowicz, Zaremba & Sutskever
// (2015, "An Empirical Exploration of Recurrent Network Architectures") in their search
// over GRU-like cells. Unfused only: each step is composed of core ops.
//
//   MUT1: z = σ(x W_xz + b_z)             r = σ(x W_xr + h W_hr + b_r)
//         h' = tanh((r ⊙ h) W_hh + tanh(x) + b_h) ⊙ z + h ⊙ (1 − z)
//   MUT2: z = σ(x W_xz + h W_hz + b_z)    r = σ(x + h W_hr + b_r)
//         h' = tanh((r ⊙ h) W_hh + x W_xh + b_h) ⊙ z + h ⊙ (1 − z)
//   MUT3: z = σ(x W_xz + tanh(h) W_hz + b_z)   r = σ(x W_xr + h W_hr + b_r)
//         h' = tanh((r ⊙ h) W_hh + x W_xh + b_h) ⊙ z + h ⊙ (1 − z)
//
// Matrices are stored [in, out] (x W), biases [H]. MUT1 and MUT2 add x itself to a
// hidden-size vector, so they need inputSize = hiddenSize.
import { ArgumentError, ops, type Tape, Tensor } from '../core/index.js';
import { Cell } from './cell.js';

export type MutKind = 'mut1' | 'mut2' | 'mut3';

export interface MutOptions {
  /** Include the biases b_z, b_r, b_h (default true). */
  bias?: boolean;
}

const matrices: Record<MutKind, [string, 'x' | 'h'][]> = {
  mut1: [
    ['W_xz', 'x'],
    ['W_xr', 'x'],
    ['W_hr', 'h'],
    ['W_hh', 'h'],
  ],
  mut2: [
    ['W_xz', 'x'],
    ['W_hz', 'h'],
    ['W_hr', 'h'],
    ['W_hh', 'h'],
    ['W_xh', 'x'],
  ],
  mut3: [
    ['W_xz', 'x'],
    ['W_hz', 'h'],
    ['W_xr', 'x'],
    ['W_hr', 'h'],
    ['W_hh', 'h'],
    ['W_xh', 'x'],
  ],
};

export class MutCell extends Cell {
  readonly kind: MutKind;
  readonly hasCellState = false;
  readonly params: Record<string, Tensor> = {};

  constructor(
    store: Cell['store'],
    prefix: string,
    kind: MutKind,
    inputSize: number,
    hiddenSize: number,
    options: MutOptions = {},
  ) {
    super(store, prefix, inputSize, hiddenSize);
    if (!(kind in matrices)) throw new ArgumentError(prefix, 'MUT kind', 'mut1, mut2 or mut3', kind);
    if (kind !== 'mut3' && inputSize !== hiddenSize) {
      throw new ArgumentError(
        prefix,
        'inputSize',
        `equal to hiddenSize (${hiddenSize}), since ${kind} adds x_t to a hidden-size vector`,
        inputSize,
      );
    }
    this.kind = kind;
    for (const [name, from] of matrices[kind])
      this.params[name] = this.addParam(name, [from === 'x' ? inputSize : hiddenSize, hiddenSize]);
    if (options.bias ?? true)
      for (const name of ['b_z', 'b_r', 'b_h']) this.params[name] = this.addParam(name, [hiddenSize]);
  }

  prepare(): null {
    return null;
  }

  step(tape: Tape | null, x: Tensor, state: Tensor[]): Tensor[] {
    const h = state[0],
      p = this.params;
    const lin = (input: Tensor, name: string) => ops.matmul(tape, input, p[name]);
    const sum = (terms: Tensor[], bias: string) => {
      let total = terms.reduce((a, b) => ops.add(tape, a, b));
      if (p[bias] !== undefined) total = ops.add(tape, total, p[bias]);
      return total;
    };
    let z: Tensor, r: Tensor, fromInput: Tensor;
    if (this.kind === 'mut1') {
      z = ops.sigmoid(tape, sum([lin(x, 'W_xz')], 'b_z'));
      r = ops.sigmoid(tape, sum([lin(x, 'W_xr'), lin(h, 'W_hr')], 'b_r'));
      fromInput = ops.tanh(tape, x);
    } else if (this.kind === 'mut2') {
      z = ops.sigmoid(tape, sum([lin(x, 'W_xz'), lin(h, 'W_hz')], 'b_z'));
      r = ops.sigmoid(tape, sum([x, lin(h, 'W_hr')], 'b_r'));
      fromInput = lin(x, 'W_xh');
    } else {
      z = ops.sigmoid(tape, sum([lin(x, 'W_xz'), lin(ops.tanh(tape, h), 'W_hz')], 'b_z'));
      r = ops.sigmoid(tape, sum([lin(x, 'W_xr'), lin(h, 'W_hr')], 'b_r'));
      fromInput = lin(x, 'W_xh');
    }
    const candidate = ops.tanh(tape, sum([lin(ops.mul(tape, r, h), 'W_hh'), fromInput], 'b_h'));
    // h' = candidate ⊙ z + h ⊙ (1 − z), written as h + z ⊙ (candidate − h)
    return [ops.add(tape, h, ops.mul(tape, z, ops.sub(tape, candidate, h)))];
  }
}
