// The LSTM cell (Hochreiter & Schmidhuber 1997, with the forget gate of Gers et al. 2000)
// and the published variants as options of the one cell. Equations: kernels/js/lstmStep.ts.
//
// Parameters, with G gate blocks of H columns in the order f, i, g, o (absent gates left out;
// g is the block input, so that it never clashes with the cell state c):
//   W      [I+H, G·H]  rows 0..I−1 act on x_t, rows I..I+H−1 on h_{t−1}
//   b_ih, b_hh [G·H]   (or one b, or none)
//   p_i, p_f, p_o [H]  peepholes, for the gates present
//   W_fgr  [3H, 3H]    full gate recurrence: [f, i, o]_{t−1} → [f, i, o] pre-activations
//
// Variants (Greff et al. 2015, "LSTM: A Search Space Odyssey"; Jozefowicz et al. 2015):
//   peephole  p ⊙ c terms in the gates          cifg  coupled gates, i = 1 − f
//   nfg       no forget gate, f ≡ 1 (LSTM-f)     nig   no input gate, i ≡ 1
//   nog       no output gate, o ≡ 1              niaf  no input activation, g = a_c
//   noaf      no output activation, h = o ⊙ c    fgr   full gate recurrence
// and forgetBias, the initial forget-gate bias (LSTM-b: 1).
import {
  ArgumentError,
  lstmSequence,
  LstmWorkspace,
  ops,
  Tensor,
  WorkspacePool,
  type LstmLayout,
  type LstmParams,
  type Rng,
  type Tape,
} from '../core/index.js';
import { Cell, checkBiasKind, type BiasKind, type Pass } from './cell.js';

export const lstmVariants = ['peephole', 'cifg', 'nfg', 'nig', 'nog', 'niaf', 'noaf', 'fgr'] as const;
export type LstmVariant = (typeof lstmVariants)[number];

export interface LstmOptions {
  /** Variant switches, by name: 'peephole', ['cifg', 'peephole'], 'vanilla' (none). */
  variant?: LstmVariant | 'vanilla' | readonly LstmVariant[];
  bias?: BiasKind;
  /** Initial forget-gate bias (the sum b_ih + b_hh on the f block); default: PyTorch's uniform init. */
  forgetBias?: number;
}

/** The variant switches, checked: unknown names and combinations that make no cell are errors. */
export function parseLstmVariant(where: string, variant: LstmOptions['variant']): Set<LstmVariant> {
  const names = variant === undefined || variant === 'vanilla' ? [] : typeof variant === 'string' ? [variant] : variant;
  if (!Array.isArray(names)) throw new ArgumentError(where, 'variant', 'a name or an array of names', variant);
  for (const n of names) {
    if (!(lstmVariants as readonly string[]).includes(n)) {
      throw new ArgumentError(where, 'variant', `a known LSTM variant: vanilla, ${lstmVariants.join(', ')}`, n);
    }
  }
  const v = new Set<LstmVariant>(names);
  if (v.has('cifg') && v.has('nfg'))
    throw new ArgumentError(
      where,
      'variant',
      'switches that do not conflict: variants cifg and nfg conflict, since with f ≡ 1 the coupled input gate 1 − f is always 0',
      names,
    );
  if (v.has('cifg') && v.has('nig'))
    throw new ArgumentError(
      where,
      'variant',
      'switches that do not conflict: variants cifg and nig both replace the input gate; choose one',
      names,
    );
  if (v.has('fgr') && ['cifg', 'nfg', 'nig', 'nog'].some((n) => v.has(n as LstmVariant))) {
    throw new ArgumentError(
      where,
      'variant',
      'switches that keep every gate with fgr: variant fgr needs all of the input, forget and output gates',
      names,
    );
  }
  return v;
}

interface LstmPrepared {
  W: Partial<Record<'f' | 'i' | 'g' | 'o', Tensor>>;
  b: Partial<Record<'f' | 'i' | 'g' | 'o', Tensor>>;
  fgr: Partial<Record<'f' | 'i' | 'o', Tensor>>;
}

export class LstmCell extends Cell {
  readonly kind = 'lstm';
  readonly hasCellState = true;
  readonly variant: Set<LstmVariant>;
  readonly layout: LstmLayout;
  readonly forgetBias: number | undefined;
  readonly params: LstmParams;
  private readonly pool: WorkspacePool<LstmWorkspace>;

  constructor(store: Cell['store'], prefix: string, inputSize: number, hiddenSize: number, options: LstmOptions = {}) {
    super(store, prefix, inputSize, hiddenSize);
    this.variant = parseLstmVariant(prefix, options.variant);
    const v = this.variant,
      H = hiddenSize;
    const present = { f: !v.has('nfg'), i: !v.has('cifg') && !v.has('nig'), g: true, o: !v.has('nog') };
    const offsets = { f: -1, i: -1, g: -1, o: -1 };
    let width = 0;
    for (const gate of ['f', 'i', 'g', 'o'] as const)
      if (present[gate]) {
        offsets[gate] = width;
        width += H;
      }
    this.layout = {
      hiddenSize: H,
      width,
      ...offsets,
      coupled: v.has('cifg'),
      peephole: v.has('peephole'),
      inputActivation: !v.has('niaf'),
      outputActivation: !v.has('noaf'),
    };
    if (options.forgetBias !== undefined && (!present.f || !Number.isFinite(options.forgetBias))) {
      throw new ArgumentError(
        prefix,
        'forgetBias',
        present.f ? 'a finite number' : 'left out: this LSTM has no forget gate (variant nfg)',
        options.forgetBias,
      );
    }
    this.forgetBias = options.forgetBias;
    const W = this.addParam('W', [inputSize + H, width]);
    const { bIh, bHh } = this.addBiases(width, checkBiasKind(prefix, options.bias));
    const peep = (gate: 'i' | 'f' | 'o') =>
      v.has('peephole') && present[gate] ? this.addParam(`p_${gate}`, [H]) : null;
    this.params = {
      W,
      bIh,
      bHh,
      pI: peep('i'),
      pF: peep('f'),
      pO: peep('o'),
      fgr: v.has('fgr') ? this.addParam('W_fgr', [3 * H, 3 * H]) : null,
    };
    const layout = this.layout,
      gateRecurrence = v.has('fgr');
    this.pool = new WorkspacePool((T, B, dtype) => new LstmWorkspace(T, B, dtype, layout, inputSize, gateRecurrence));
  }

  override initialize(rng: Rng): void {
    super.initialize(rng);
    if (this.forgetBias !== undefined) this.setForgetBias(this.forgetBias);
  }

  /** Set the forget-gate bias (b_ih's f block to the value, b_hh's to 0); no-op without a forget gate or bias. */
  setForgetBias(value: number): void {
    const { bIh, bHh } = this.params;
    const f = this.layout.f,
      H = this.hiddenSize;
    if (f < 0) return;
    if (bIh !== null) bIh.data.fill(value, f, f + H);
    if (bHh !== null) bHh.data.fill(0, f, f + H);
  }

  override initialState(h0: Tensor, c0: Tensor | null): Tensor[] {
    const state = [h0, c0!];
    if (this.params.fgr !== null) state.push(Tensor.zeros([h0.shape[0], 3 * this.hiddenSize], h0.dtype));
    return state;
  }

  override fusedPass(
    tape: Tape | null,
    x: Tensor,
    h0: Tensor,
    c0: Tensor | null,
    lengths: ArrayLike<number> | null,
    reverse: boolean,
  ): Pass {
    return lstmSequence(tape, this.pool, this.layout, this.params, x, h0, c0!, lengths, reverse);
  }

  prepare(tape: Tape | null): LstmPrepared {
    const { W, bIh, bHh, fgr } = this.params;
    const H = this.hiddenSize,
      L = this.layout;
    const bias = bIh === null ? null : bHh === null ? bIh : ops.add(tape, bIh, bHh);
    const prepared: LstmPrepared = { W: {}, b: {}, fgr: {} };
    for (const gate of ['f', 'i', 'g', 'o'] as const) {
      if (L[gate] < 0) continue;
      prepared.W[gate] = ops.slice(tape, W, L[gate], H);
      if (bias !== null) prepared.b[gate] = ops.slice(tape, bias, L[gate], H);
    }
    if (fgr !== null)
      (['f', 'i', 'o'] as const).forEach((gate, q) => (prepared.fgr[gate] = ops.slice(tape, fgr, q * H, H)));
    return prepared;
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
    const p = prepared as LstmPrepared;
    const { pI, pF, pO } = this.params;
    const [h, c, gatesBefore] = state;
    const xh = ops.concat(tape, [x, h]);
    const pre = (gate: 'f' | 'i' | 'g' | 'o'): Tensor => {
      let a = ops.matmul(tape, xh, p.W[gate]!);
      if (p.b[gate] !== undefined) a = ops.add(tape, a, p.b[gate]!);
      if (gate !== 'g' && p.fgr[gate] !== undefined) a = ops.add(tape, a, ops.matmul(tape, gatesBefore, p.fgr[gate]!));
      return a;
    };
    const peep = (a: Tensor, weight: Tensor | null, cell: Tensor) =>
      weight === null ? a : ops.add(tape, a, ops.mul(tape, cell, weight));
    const L = this.layout;
    const f = L.f < 0 ? null : ops.sigmoid(tape, peep(pre('f'), pF, c));
    const i = L.coupled ? ops.affine(tape, f!, -1, 1) : L.i < 0 ? null : ops.sigmoid(tape, peep(pre('i'), pI, c));
    const g = L.inputActivation ? ops.tanh(tape, pre('g')) : pre('g');
    const cNext = ops.add(tape, f === null ? c : ops.mul(tape, f, c), i === null ? g : ops.mul(tape, i, g));
    const o = L.o < 0 ? null : ops.sigmoid(tape, peep(pre('o'), pO, cNext));
    const tc = L.outputActivation ? ops.tanh(tape, cNext) : cNext;
    const hNext = o === null ? tc : ops.mul(tape, o, tc);
    const terms: Record<string, Tensor> = { g, c: cNext, h: hNext };
    for (const [name, gate] of [
      ['f', f],
      ['i', i],
      ['o', o],
    ] as const)
      if (gate !== null) terms[name] = gate;
    if (gatesBefore === undefined) return { state: [hNext, cNext], terms };
    return { state: [hNext, cNext, ops.concat(tape, [f!, i!, o!])], terms };
  }
}
