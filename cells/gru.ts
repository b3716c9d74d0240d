// The GRU cell (Cho et al. 2014) in both published forms. Equations: kernels/js/gruStep.ts.
//
// Parameters: W [I+H, 3H], blocks r | z | n, rows 0..I−1 on x_t and I..I+H−1 on h_{t−1};
// b_ih, b_hh [3H] (or one b, applied with the input projection, or none). With the reset
// applied after the recurrent matmul the two biases differ in meaning: b_hn sits inside r ⊙ (·).
import {
  ArgumentError,
  gruSequence,
  GruWorkspace,
  ops,
  Tensor,
  WorkspacePool,
  type GruParams,
  type Tape,
} from '../core/index.js';
import { Cell, checkBiasKind, type BiasKind, type Pass } from './cell.js';

export interface GruOptions {
  /** true (default): n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), as PyTorch; false: r applied before W_hn (Cho et al.). */
  resetAfter?: boolean;
  /**
   * 'keeps' (default, PyTorch and Cho et al.): h = z ⊙ h₋₁ + (1 − z) ⊙ n; 'writes' (as some
   * lectures write it): h = (1 − z) ⊙ h₋₁ + z ⊙ n. The same family: negating W_z and b_z maps
   * one onto the other. State dicts keep PyTorch's convention (see stateMappings).
   */
  updateGate?: 'keeps' | 'writes';
  bias?: BiasKind;
}

type Block = 'r' | 'z' | 'n';
interface GruPrepared {
  Wx: Record<Block, Tensor>;
  Wh: Record<Block, Tensor>;
  bx: Partial<Record<Block, Tensor>>;
  bh: Partial<Record<Block, Tensor>>;
}

export class GruCell extends Cell {
  readonly kind = 'gru';
  readonly hasCellState = false;
  readonly resetAfter: boolean;
  readonly updateGate: 'keeps' | 'writes';
  readonly params: GruParams;
  private readonly pool: WorkspacePool<GruWorkspace>;

  constructor(store: Cell['store'], prefix: string, inputSize: number, hiddenSize: number, options: GruOptions = {}) {
    super(store, prefix, inputSize, hiddenSize);
    if (options.resetAfter !== undefined && typeof options.resetAfter !== 'boolean') {
      throw new ArgumentError(prefix, 'resetAfter', 'true or false', options.resetAfter);
    }
    this.resetAfter = options.resetAfter ?? true;
    this.updateGate = options.updateGate ?? 'keeps';
    if (this.updateGate !== 'keeps' && this.updateGate !== 'writes')
      throw new ArgumentError(prefix, 'updateGate', "'keeps' or 'writes'", options.updateGate);
    const W = this.addParam('W', [inputSize + hiddenSize, 3 * hiddenSize]);
    const { bIh, bHh } = this.addBiases(3 * hiddenSize, checkBiasKind(prefix, options.bias));
    this.params = { W, bIh, bHh };
    this.pool = new WorkspacePool((T, B, dtype) => new GruWorkspace(T, B, dtype, hiddenSize, inputSize));
  }

  override fusedPass(
    tape: Tape | null,
    x: Tensor,
    h0: Tensor,
    _c0: Tensor | null,
    lengths: ArrayLike<number> | null,
    reverse: boolean,
  ): Pass {
    return gruSequence(
      tape,
      this.pool,
      { resetAfter: this.resetAfter, zWrites: this.updateGate === 'writes' },
      this.params,
      x,
      h0,
      lengths,
      reverse,
    );
  }

  prepare(tape: Tape | null): GruPrepared {
    const { W, bIh, bHh } = this.params;
    const I = this.inputSize,
      H = this.hiddenSize;
    const rows = (from: number, count: number) =>
      ops.gather(
        tape,
        W,
        Array.from({ length: count }, (_, q) => from + q),
      );
    const Wx = rows(0, I),
      Wh = rows(I, H);
    const blocks = (t: Tensor) => {
      const [r, z, n] = ops.split(tape, t, [H, H, H]);
      return { r, z, n };
    };
    return { Wx: blocks(Wx), Wh: blocks(Wh), bx: bIh === null ? {} : blocks(bIh), bh: bHh === null ? {} : blocks(bHh) };
  }

  step(tape: Tape | null, x: Tensor, state: Tensor[], prepared: unknown): Tensor[] {
    return this.stepTerms(tape, x, state, prepared).state;
  }

  override stepTerms(
    tape: Tape | null,
    x: Tensor,
    state: Tensor[],
    prepared: unknown,
  ): { state: Tensor[]; terms: Record<string, Tensor> } {
    const p = prepared as GruPrepared;
    const h = state[0];
    const affine = (input: Tensor, weight: Tensor, bias: Tensor | undefined) => {
      const a = ops.matmul(tape, input, weight);
      return bias === undefined ? a : ops.add(tape, a, bias);
    };
    const gate = (b: 'r' | 'z') =>
      ops.sigmoid(tape, ops.add(tape, affine(x, p.Wx[b], p.bx[b]), affine(h, p.Wh[b], p.bh[b])));
    const r = gate('r'),
      z = gate('z');
    const recurrent = this.resetAfter
      ? ops.mul(tape, r, affine(h, p.Wh.n, p.bh.n))
      : affine(ops.mul(tape, r, h), p.Wh.n, p.bh.n);
    const n = ops.tanh(tape, ops.add(tape, affine(x, p.Wx.n, p.bx.n), recurrent));
    // z keeps: h' = (1 − z) ⊙ n + z ⊙ h, written n + z ⊙ (h − n); z writes: h' = h + z ⊙ (n − h)
    const hNext =
      this.updateGate === 'keeps'
        ? ops.add(tape, n, ops.mul(tape, z, ops.sub(tape, h, n)))
        : ops.add(tape, h, ops.mul(tape, z, ops.sub(tape, n, h)));
    return { state: [hNext], terms: { r, z, n, h: hNext } };
  }
}
