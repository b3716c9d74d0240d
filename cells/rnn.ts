// The Elman RNN (Elman 1990): h_t = act(W_x x_t + W_h h_{t−d} + b), act tanh, relu or
// sigmoid (Elman's own network, and the lectures': its gradient vanishes faster, σ′ ≤ 1/4).
// With delay d > 1 the recurrent connection reaches d steps back (long-delay recurrence,
// an early remedy for vanishing gradients: k steps of backpropagation pass through only
// k/d Jacobians, so ‖∂h_t/∂h_{t−k}‖ decays like λ^{k/d} instead of λ^k).
//
// Parameters: W [I+H, H], rows 0..I−1 on x_t and I..I+H−1 on h_{t−d}; b_ih, b_hh [H]
// (or one b, or none). The unfused state is [h_{t−1}, …, h_{t−d}].
import {
  ArgumentError,
  ops,
  rnnSequence,
  RnnWorkspace,
  Tensor,
  WorkspacePool,
  type RnnParams,
  type Tape,
} from '../core/index.js';
import { Cell, checkBiasKind, type BiasKind, type Pass } from './cell.js';

export const rnnNonlinearities = ['tanh', 'relu', 'sigmoid'] as const;
export type RnnNonlinearity = (typeof rnnNonlinearities)[number];

export interface RnnOptions {
  nonlinearity?: RnnNonlinearity;
  /** How many steps back the recurrent connection reaches (default 1). */
  delay?: number;
  bias?: BiasKind;
}

interface RnnPrepared {
  bias: Tensor | null;
}

export class RnnCell extends Cell {
  readonly kind = 'rnn';
  readonly hasCellState = false;
  readonly nonlinearity: RnnNonlinearity;
  readonly delay: number;
  readonly params: RnnParams;
  private readonly pool: WorkspacePool<RnnWorkspace>;

  constructor(store: Cell['store'], prefix: string, inputSize: number, hiddenSize: number, options: RnnOptions = {}) {
    super(store, prefix, inputSize, hiddenSize);
    this.nonlinearity = options.nonlinearity ?? 'tanh';
    if (!rnnNonlinearities.includes(this.nonlinearity)) {
      throw new ArgumentError(prefix, 'nonlinearity', "'tanh', 'relu' or 'sigmoid'", this.nonlinearity);
    }
    this.delay = options.delay ?? 1;
    if (!Number.isInteger(this.delay) || this.delay < 1)
      throw new ArgumentError(prefix, 'delay', 'an integer ≥ 1', options.delay);
    const W = this.addParam('W', [inputSize + hiddenSize, hiddenSize]);
    const { bIh, bHh } = this.addBiases(hiddenSize, checkBiasKind(prefix, options.bias));
    this.params = { W, bIh, bHh };
    this.pool = new WorkspacePool((T, B, dtype) => new RnnWorkspace(T, B, dtype, hiddenSize, inputSize));
  }

  override initialState(h0: Tensor): Tensor[] {
    return Array.from({ length: this.delay }, () => h0);
  }

  override fusedPass(
    tape: Tape | null,
    x: Tensor,
    h0: Tensor,
    _c0: Tensor | null,
    lengths: ArrayLike<number> | null,
    reverse: boolean,
  ): Pass {
    return rnnSequence(tape, this.pool, this.nonlinearity, this.delay, this.params, x, h0, lengths, reverse);
  }

  prepare(tape: Tape | null): RnnPrepared {
    const { bIh, bHh } = this.params;
    return { bias: bIh === null ? null : bHh === null ? bIh : ops.add(tape, bIh, bHh) };
  }

  step(tape: Tape | null, x: Tensor, state: Tensor[], prepared: unknown): Tensor[] {
    const { bias } = prepared as RnnPrepared;
    let pre = ops.matmul(tape, ops.concat(tape, [x, state[this.delay - 1]]), this.params.W);
    if (bias !== null) pre = ops.add(tape, pre, bias);
    const h =
      this.nonlinearity === 'relu'
        ? ops.relu(tape, pre)
        : this.nonlinearity === 'sigmoid'
          ? ops.sigmoid(tape, pre)
          : ops.tanh(tape, pre);
    return [h, ...state.slice(0, this.delay - 1)];
  }
}
