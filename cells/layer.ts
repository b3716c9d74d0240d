// A recurrent layer in PyTorch's sense: a cell unrolled over a time-major sequence
// [T, B, I] (batch-first [B, T, I] as an option), numLayers of them stacked, each
// optionally bidirectional, with dropout between layers (never along time).
//
//   const lstm = new RecurrentLayer({ cell: 'lstm', inputSize: 3, hiddenSize: 5, numLayers: 2, bidirectional: true });
//   const { y, h, c } = lstm.forward(tape, x, { h0, c0, lengths });
//
// y: [T, B, D·H] (concat) or [T, B, H] (sum, mean, mul, max); h, c: [numLayers·D, B, H]
// ordered layer 0 forward, layer 0 reverse, layer 1 forward, ... (D = 2 when bidirectional).
//
// bidirectional: 'concatenated' is the other bidirectional network of the lectures: one RNN
// whose input at step t is [x_t, x_{T+1−t}] (reversed within each sequence's own length), so
// that its first step already sees both ends, and W_x grows from [I, ·] to [2I, ·]. Step t
// sees x_1 … x_t and x_{T+1−t} … x_T: all of the sequence only from the middle on, where the
// two-RNN form gives every step all of it.
import {
  alloc,
  allocPinned,
  ArgumentError,
  checkFiniteValues,
  checkLengths,
  copyLengths,
  ops,
  ParamStore,
  Rng,
  shapeStr,
  type DType,
  type Tape,
  Tensor,
} from '../core/index.js';
import { layerMappings } from './interop.js';
import { Module } from './module.js';
import { prefixed, type StateMapping } from './stateDict.js';
import { cellKinds, hasFusedBuild, type Build, type BiasKind, type Cell, type CellKind } from './cell.js';
import { GruCell } from './gru.js';
import { LstmCell, type LstmOptions } from './lstm.js';
import { MutCell } from './mut.js';
import { RnnCell } from './rnn.js';
import { reverseSequences, unrollUnfused } from './unroll.js';

export const mergeModes = ['concat', 'sum', 'mean', 'mul', 'max'] as const;
export type MergeMode = (typeof mergeModes)[number];

export interface LayerOptions {
  cell: CellKind;
  inputSize: number;
  hiddenSize: number;
  numLayers?: number;
  /** true: a second RNN reads the sequence backwards (PyTorch); 'concatenated': one RNN reads [x_t, x_{T+1−t}]. */
  bidirectional?: boolean | 'concatenated';
  /** How the two directions' outputs combine (default 'concat', as PyTorch). */
  merge?: MergeMode;
  /** Dropout probability on the input of every layer after the first (training only). */
  dropout?: number;
  batchFirst?: boolean;
  /** Default build for forward: 'fused' where the cell has one (RNN, LSTM, GRU), else 'unfused'. */
  build?: Build;
  /** true/'double' (PyTorch's b_ih and b_hh), 'single', false/'none'. */
  bias?: boolean | BiasKind;
  /** RNN: 'tanh' (default), 'relu' or 'sigmoid'. */
  nonlinearity?: 'tanh' | 'relu' | 'sigmoid';
  /** RNN: long-delay recurrence h_t from h_{t−delay}. */
  delay?: number;
  /** LSTM variant switches (see cells/lstm.ts). */
  variant?: LstmOptions['variant'];
  forgetBias?: number;
  /** GRU: reset applied after (default) or before the recurrent matmul. */
  resetAfter?: boolean;
  /** GRU: z the gate that keeps h₋₁ ('keeps', PyTorch) or that writes the candidate ('writes'). */
  updateGate?: 'keeps' | 'writes';
  /**
   * A store shared with other modules, not yet allocated: the layer only declares its
   * parameters there, and the owner calls store.allocate() and then layer.initialize(rng).
   * Without one the layer makes its own store of `dtype`, allocated and initialised.
   */
  store?: ParamStore;
  dtype?: DType;
  /** Parameter names start with this (default: the cell kind). */
  name?: string;
  /** Seed of the initialisation (PyTorch's uniform ±1/√H) of a layer with its own store. */
  seed?: number;
}

/** The cell and its kind's own options: what a layer's cells are, apart from their sizes. */
export type CellChoice = Pick<
  LayerOptions,
  'cell' | 'nonlinearity' | 'delay' | 'variant' | 'forgetBias' | 'resetAfter' | 'updateGate'
>;

/** Options that belong to one kind of cell: given to another, they are errors, not ignored. */
const cellOnlyOptions = new Map<keyof CellChoice, CellKind>([
  ['nonlinearity', 'rnn'],
  ['delay', 'rnn'],
  ['variant', 'lstm'],
  ['forgetBias', 'lstm'],
  ['resetAfter', 'gru'],
  ['updateGate', 'gru'],
]);

/** The one kind of cell an option belongs to (undefined: every cell takes it, or it is no option). */
export function optionCell(option: string): CellKind | undefined {
  return cellOnlyOptions.get(option as keyof CellChoice);
}

export interface ForwardOptions {
  h0?: Tensor;
  c0?: Tensor;
  /** Per-sequence lengths for a padded batch, each in [1, T]. */
  lengths?: ArrayLike<number>;
  /** Turns dropout on. */
  training?: boolean;
  /** Draws the dropout masks (needed when training with dropout > 0). */
  rng?: Rng;
  build?: Build;
}

export interface LayerOutput {
  y: Tensor;
  h: Tensor;
  c: Tensor | null;
}

export interface ParameterCount {
  total: number;
  perLayer: { layer: number; direction: 'forward' | 'reverse'; count: number }[];
}

export class RecurrentLayer extends Module {
  readonly kind: CellKind;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly directions: 1 | 2;
  /** One RNN over [x_t, x_{T+1−t}] (bidirectional: 'concatenated'). */
  readonly concatenated: boolean;
  readonly merge: MergeMode;
  readonly dropout: number;
  readonly batchFirst: boolean;
  private defaultBuild: Build;
  readonly store: ParamStore;
  readonly name: string;
  /** cells[layer][direction] */
  readonly cells: Cell[][];
  /** The default initial state, a [B, H] zero tensor per batch size, made once. */
  private readonly zeroStates = new Map<string, Tensor>();

  constructor(options: LayerOptions) {
    super();
    const o = options;
    if (!cellKinds.includes(o.cell))
      throw new ArgumentError('RecurrentLayer', 'cell', `one of ${cellKinds.join(', ')}`, o.cell);
    this.kind = o.cell;
    this.name = o.name ?? o.cell;
    this.inputSize = positive(this.name, 'inputSize', o.inputSize);
    this.hiddenSize = positive(this.name, 'hiddenSize', o.hiddenSize);
    this.numLayers = positive(this.name, 'numLayers', o.numLayers ?? 1);
    if (
      o.bidirectional !== undefined &&
      o.bidirectional !== true &&
      o.bidirectional !== false &&
      o.bidirectional !== 'concatenated'
    ) {
      throw new ArgumentError(this.name, 'bidirectional', "true, false or 'concatenated'", o.bidirectional);
    }
    this.directions = o.bidirectional === true ? 2 : 1;
    this.concatenated = o.bidirectional === 'concatenated';
    if (o.merge !== undefined && this.directions !== 2) {
      const form = this.concatenated
        ? "one RNN over [x_t, x_{T+1−t}] (bidirectional: 'concatenated')"
        : 'one direction';
      throw new ArgumentError(
        this.name,
        'merge',
        `left out unless bidirectional is true (it joins the two RNNs' outputs, and this layer has ${form})`,
        o.merge,
      );
    }
    this.merge = o.merge ?? 'concat';
    if (!mergeModes.includes(this.merge))
      throw new ArgumentError(this.name, 'merge', `one of ${mergeModes.join(', ')}`, this.merge);
    this.dropout = o.dropout ?? 0;
    if (!(this.dropout >= 0 && this.dropout < 1)) throw new ArgumentError(this.name, 'dropout', 'in [0, 1)', o.dropout);
    this.batchFirst = o.batchFirst ?? false;
    for (const [key, kind] of cellOnlyOptions) {
      if (o[key] !== undefined && o.cell !== kind)
        throw new ArgumentError(this.name, key, `left out for ${o.cell} (it applies to ${kind} only)`, o[key]);
    }
    this.defaultBuild = o.build ?? (hasFusedBuild(o.cell) ? 'fused' : 'unfused');
    this.checkBuild(this.defaultBuild);
    if (o.store !== undefined && o.seed !== undefined) {
      throw new ArgumentError(
        this.name,
        'seed',
        'left out when a store is given (allocate the store, then call initialize(rng))',
        o.seed,
      );
    }
    this.store = o.store ?? new ParamStore(o.dtype ?? 'f32');
    const bias: BiasKind = o.bias === undefined || o.bias === true ? 'double' : o.bias === false ? 'none' : o.bias;
    this.cells = [];
    for (let k = 0; k < this.numLayers; k++) {
      const input = k > 0 ? this.layerOutputSize() : this.concatenated ? 2 * this.inputSize : this.inputSize;
      const row: Cell[] = [];
      for (let d = 0; d < this.directions; d++)
        row.push(makeCell(this.store, `${this.name}.l${k}${d === 1 ? '_reverse' : ''}`, input, o, bias));
      this.cells.push(row);
    }
    // A layer that made its own store allocates and initialises it; in a shared store the
    // owner allocates once every module has declared its parameters, then initialises.
    if (o.store === undefined) {
      this.store.allocate();
      this.initialize(new Rng(o.seed ?? 0));
    }
  }

  /** PyTorch's initialisation (uniform ±1/√H, and the forget-gate bias if one was given), cell by cell. */
  initialize(rng: Rng): void {
    for (const row of this.cells) for (const cell of row) cell.initialize(rng);
  }

  /** Features per time step of each layer's output: D·H when concatenating, else H. */
  layerOutputSize(): number {
    return this.merge === 'concat' ? this.directions * this.hiddenSize : this.hiddenSize;
  }

  get hasCellState(): boolean {
    return this.kind === 'lstm';
  }

  /** The build forward uses when its options name none. */
  get build(): Build {
    return this.defaultBuild;
  }

  /** Change the default build (the two agree to float rounding): to compare their speed on one model. */
  setBuild(build: Build): void {
    this.checkBuild(build);
    this.defaultBuild = build;
  }

  private checkBuild(build: Build): void {
    if (build !== 'fused' && build !== 'unfused')
      throw new ArgumentError(this.name, 'build', "'fused' or 'unfused'", build);
    if (build === 'fused' && !hasFusedBuild(this.kind)) {
      throw new ArgumentError(this.name, 'build', `'unfused' (${this.kind} has no fused build)`, build);
    }
  }

  forward(tape: Tape | null, input: Tensor, options: ForwardOptions = {}): LayerOutput {
    const build = options.build ?? this.build;
    this.checkBuild(build);
    const x = this.timeMajor(tape, input);
    const [T, B] = x.shape;
    if (options.lengths !== undefined) checkLengths(this.name, options.lengths, T, B);
    const states = this.numLayers * this.directions;
    const h0 = this.initial('h0', options.h0, states, B);
    const c0 = this.hasCellState ? this.initial('c0', options.c0, states, B) : null;
    if (!this.hasCellState && options.c0 !== undefined)
      throw new ArgumentError(
        this.name,
        'c0',
        `left out: it is only for an LSTM, and this layer is ${this.kind}`,
        options.c0,
      );
    if (this.dropout > 0 && options.training && !(options.rng instanceof Rng)) {
      throw new ArgumentError(
        this.name,
        'options.rng',
        `a seeded Rng when training with dropout ${this.dropout}`,
        options.rng,
      );
    }
    const lengths = options.lengths ?? null;
    const hs: Tensor[] = [],
      cs: Tensor[] = [];
    let seq = x;
    if (this.concatenated) {
      const lens = alloc('i32', B);
      copyLengths(this.name, lens, lengths, T, B);
      seq = ops.concat(tape, [x, reverseSequences(tape, x, lens)]);
    }
    for (let k = 0; k < this.numLayers; k++) {
      if (k > 0 && this.dropout > 0)
        seq = ops.dropout(tape, seq, { p: this.dropout, rng: options.rng!, training: options.training ?? false });
      const ys: Tensor[] = [];
      for (let d = 0; d < this.directions; d++) {
        const cell = this.cells[k][d];
        const at = k * this.directions + d;
        const hInit = h0 === null ? this.zeroState(B, x.dtype) : ops.selectStep(tape, h0, at);
        const cInit = !this.hasCellState
          ? null
          : c0 === null
            ? this.zeroState(B, x.dtype)
            : ops.selectStep(tape, c0, at);
        const pass =
          build === 'fused'
            ? cell.fusedPass!(tape, seq, hInit, cInit, lengths, d === 1)
            : unrollUnfused(tape, cell, seq, hInit, cInit, lengths, d === 1);
        ys.push(pass.y);
        hs.push(pass.h);
        if (pass.c !== null) cs.push(pass.c);
      }
      seq = this.directions === 1 ? ys[0] : mergeDirections(tape, this.merge, ys[0], ys[1]);
    }
    // One layer, one direction: the final states get their leading axis by a reshape, not a copy.
    const gather = (states: Tensor[]) =>
      states.length === 1 ? ops.reshape(tape, states[0], [1, ...states[0].shape]) : ops.stack(tape, states);
    const y = this.batchFirst ? swapBatchAndTime(tape, seq) : seq;
    y.layout = this.batchFirst ? 'batch-first' : 'time-major';
    return {
      y,
      h: gather(hs),
      c: this.hasCellState ? gather(cs) : null,
    };
  }

  private zeroState(B: number, dtype: DType): Tensor {
    const key = `${B} ${dtype}`;
    let zero = this.zeroStates.get(key);
    if (zero === undefined) {
      // Made once and kept for the layer's life: not a transient of the pass that first needs it.
      zero = new Tensor(allocPinned(dtype, B * this.hiddenSize), [B, this.hiddenSize]);
      this.zeroStates.set(key, zero);
    }
    return zero;
  }

  /** x checked (shape, dtype, finite values) and made time-major. */
  private timeMajor(tape: Tape | null, x: Tensor): Tensor {
    const layout = this.batchFirst ? '[B, T, I]' : '[T, B, I]';
    if (!(x instanceof Tensor) || x.shape.length !== 3 || x.shape[2] !== this.inputSize) {
      const got = x instanceof Tensor ? shapeStr(x.shape) : x;
      throw new ArgumentError(
        this.name,
        'x',
        `${layout} with I = inputSize ${this.inputSize}`,
        got,
        x instanceof Tensor,
      );
    }
    if (x.dtype !== this.store.dtype)
      throw new ArgumentError(this.name, 'x', `of dtype ${this.store.dtype} like the parameters`, x.dtype);
    if (x.shape[0] === 0 || x.shape[1] === 0)
      throw new ArgumentError(this.name, 'x', 'at least one step and one sequence', shapeStr(x.shape), true);
    checkFiniteValues(this.name, 'x', x.data, '; inputs must be finite');
    return this.batchFirst ? swapBatchAndTime(tape, x) : x;
  }

  private initial(name: 'h0' | 'c0', t: Tensor | undefined, states: number, B: number): Tensor | null {
    if (t === undefined) return null;
    const H = this.hiddenSize;
    if (
      !(t instanceof Tensor) ||
      t.shape.length !== 3 ||
      t.shape[0] !== states ||
      t.shape[1] !== B ||
      t.shape[2] !== H
    ) {
      const got = t instanceof Tensor ? shapeStr(t.shape) : t;
      throw new ArgumentError(
        this.name,
        name,
        `[numLayers·directions, B, H] = [${states}, ${B}, ${H}]`,
        got,
        t instanceof Tensor,
      );
    }
    if (t.dtype !== this.store.dtype)
      throw new ArgumentError(this.name, name, `of dtype ${this.store.dtype} like the parameters`, t.dtype);
    checkFiniteValues(this.name, name, t.data, '; inputs must be finite');
    return t;
  }

  /** The parameters as mappings to PyTorch's names (weight_ih_l0, …), each name after `prefix`. */
  stateMappings(prefix = ''): StateMapping[] {
    return prefixed(prefix, layerMappings(this));
  }

  protected moduleName(): string {
    return this.name;
  }

  parameterCount(): ParameterCount {
    const perLayer = this.cells.flatMap((row, layer) =>
      row.map((cell, d) => ({
        layer,
        direction: d === 0 ? ('forward' as const) : ('reverse' as const),
        count: cell.parameterCount(),
      })),
    );
    return { total: perLayer.reduce((n, p) => n + p.count, 0), perLayer };
  }
}

function makeCell(store: ParamStore, prefix: string, inputSize: number, o: LayerOptions, bias: BiasKind): Cell {
  const H = o.hiddenSize;
  switch (o.cell) {
    case 'rnn':
      return new RnnCell(store, prefix, inputSize, H, { nonlinearity: o.nonlinearity, delay: o.delay, bias });
    case 'lstm':
      return new LstmCell(store, prefix, inputSize, H, { variant: o.variant, forgetBias: o.forgetBias, bias });
    case 'gru':
      return new GruCell(store, prefix, inputSize, H, { resetAfter: o.resetAfter, updateGate: o.updateGate, bias });
    default:
      return new MutCell(store, prefix, o.cell, inputSize, H, { bias: bias !== 'none' });
  }
}

function mergeDirections(tape: Tape | null, merge: MergeMode, forward: Tensor, reverse: Tensor): Tensor {
  switch (merge) {
    case 'concat':
      return ops.concat(tape, [forward, reverse]);
    case 'sum':
      return ops.add(tape, forward, reverse);
    case 'mean':
      return ops.scale(tape, ops.add(tape, forward, reverse), 0.5);
    case 'mul':
      return ops.mul(tape, forward, reverse);
    case 'max':
      return ops.maximum(tape, forward, reverse);
  }
}

/** [A, C, F] ↔ [C, A, F]: batch-first to time-major and back. */
function swapBatchAndTime(tape: Tape | null, x: Tensor): Tensor {
  const [A, C, F] = x.shape;
  const order = Array.from({ length: A * C }, (_, q) => (q % A) * C + Math.floor(q / A));
  return ops.reshape(tape, ops.gather(tape, ops.reshape(tape, x, [A * C, F]), order), [C, A, F]);
}

function positive(where: string, name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new ArgumentError(where, name, 'a positive integer', v);
  return v;
}
