// What every recurrent cell is: named parameters in a ParamStore, one unfused step built
// from core ops, and (for RNN, LSTM and GRU) a fused pass over a whole sequence.
//
// A cell's state is a list of tensors, h first: [h] for an RNN or GRU, [h, c] for an
// LSTM, more where the recurrence needs it (the previous gates under full gate
// recurrence, the last d outputs of a long-delay RNN).
import type { DType, ParamStore, Rng, Tape, Tensor } from '../core/index.js';
import { ArgumentError } from '../core/index.js';

export type CellKind = 'rnn' | 'lstm' | 'gru' | 'mut1' | 'mut2' | 'mut3';
export const cellKinds: readonly CellKind[] = ['rnn', 'lstm', 'gru', 'mut1', 'mut2', 'mut3'];

/** Whether a cell has a fused build (kernels over the whole sequence): RNN, LSTM and GRU; the MUTs are unfused only. */
export function hasFusedBuild(kind: CellKind): boolean {
  return kind === 'rnn' || kind === 'lstm' || kind === 'gru';
}

/**
 * The forget-gate bias to start a cell with: 1 for an LSTM (Gers et al. 2000; Jozefowicz et
 * al. 2015 found it closes most of the gap to the GRU), nothing for a cell without a forget gate.
 */
export function defaultForgetBias(kind: CellKind): number | undefined {
  return kind === 'lstm' ? 1 : undefined;
}

/** How a sequence is computed: fused kernels, or the cell's unfused step composed of core ops. */
export type Build = 'fused' | 'unfused';

/** What a pass over a sequence returns: outputs [T, B, H], the final h [B, H] and, for an LSTM, c [B, H]. */
export interface Pass {
  y: Tensor;
  h: Tensor;
  c: Tensor | null;
}

export abstract class Cell {
  abstract readonly kind: CellKind;
  /** Whether the cell has a cell state c beside h (the LSTM). */
  abstract readonly hasCellState: boolean;
  private readonly locals: [string, Tensor][] = [];

  constructor(
    readonly store: ParamStore,
    readonly prefix: string,
    readonly inputSize: number,
    readonly hiddenSize: number,
  ) {
    for (const [name, v] of [
      ['inputSize', inputSize],
      ['hiddenSize', hiddenSize],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) throw new ArgumentError(prefix, name, 'a positive integer', v);
    }
  }

  get dtype(): DType {
    return this.store.dtype;
  }

  /** Add a parameter named `${prefix}.${name}` to the store. */
  protected addParam(name: string, shape: number[]): Tensor {
    const t = this.store.add(`${this.prefix}.${name}`, shape);
    this.locals.push([name, t]);
    return t;
  }

  /** The cell's parameters by local name ('W', 'b_ih', ...), in the order they were added. */
  namedParameters(): [string, Tensor][] {
    return [...this.locals];
  }

  parameterCount(): number {
    return this.locals.reduce((n, [, t]) => n + t.size, 0);
  }

  /** PyTorch's default: every parameter uniform in ±1/√H. Cells add their own touches (forget-gate bias). */
  initialize(rng: Rng): void {
    const bound = 1 / Math.sqrt(this.hiddenSize);
    for (const [, t] of this.locals) rng.fillUniform(t.data, -bound, bound);
  }

  /** The state list at the start of a sequence, from h₀ (and c₀) [B, H]. */
  initialState(h0: Tensor, c0: Tensor | null): Tensor[] {
    return this.hasCellState ? [h0, c0!] : [h0];
  }

  /** Per-pass preparation of the unfused step (parameter slices recorded once, not every step). */
  abstract prepare(tape: Tape | null): unknown;

  /** One unfused step: x [B, I] and the state list to the next state list. */
  abstract step(tape: Tape | null, x: Tensor, state: Tensor[], prepared: unknown): Tensor[];

  /**
   * One unfused step that also hands back the named terms of the cell's equations, each
   * [B, H]: h (and c) for every cell; f, i, g, o for the LSTM (a gate the variant drops is
   * absent); r, z, n for the GRU. For the pictures of what happens inside a step.
   */
  stepTerms(
    tape: Tape | null,
    x: Tensor,
    state: Tensor[],
    prepared: unknown,
  ): { state: Tensor[]; terms: Record<string, Tensor> } {
    const next = this.step(tape, x, state, prepared);
    return { state: next, terms: this.hasCellState ? { h: next[0], c: next[1] } : { h: next[0] } };
  }

  /** The fused pass over x [T, B, I]; absent where the cell has only the unfused build (the MUTs). */
  fusedPass?(
    tape: Tape | null,
    x: Tensor,
    h0: Tensor,
    c0: Tensor | null,
    lengths: ArrayLike<number> | null,
    reverse: boolean,
  ): Pass;

  /**
   * Bias vectors of the given width: PyTorch's pair b_ih and b_hh (only their sum matters
   * to an RNN or LSTM; kept apart so that state dicts round-trip), one vector b, or none.
   */
  protected addBiases(width: number, bias: BiasKind): { bIh: Tensor | null; bHh: Tensor | null } {
    if (bias === 'none') return { bIh: null, bHh: null };
    if (bias === 'single') return { bIh: this.addParam('b', [width]), bHh: null };
    return { bIh: this.addParam('b_ih', [width]), bHh: this.addParam('b_hh', [width]) };
  }
}

/** 'double': PyTorch's b_ih and b_hh; 'single': one bias b; 'none'. */
export type BiasKind = 'double' | 'single' | 'none';

export function checkBiasKind(where: string, bias: unknown): BiasKind {
  if (bias === undefined) return 'double';
  if (bias === 'double' || bias === 'single' || bias === 'none') return bias;
  throw new ArgumentError(where, 'bias', "'double', 'single' or 'none'", bias);
}
