// Many-to-one and many-to-many models: an input layer (an embedding for symbols, nothing
// for real values), a recurrent layer, and a linear read-out, either at each sequence's
// last step (classification or regression of the whole sequence) or at every step
// (tagging, next-symbol prediction).
//
//   many-to-one:   x_1 … x_T → RNN → h_T (both final states when bidirectional) → W h + b
//   many-to-many:  x_1 … x_T → RNN → y_t → W y_t + b  for every t
import { ArgumentError, ops, ParamStore, Rng, Tensor, type DType, type Tape } from '../core/index.js';
import { Embedding, Linear, RecurrentLayer, type LayerOptions, type StateModule } from '../cells/index.js';
import { embeddingWidth, Model } from './model.js';
import { lastStep } from '../train/losses.js';

export interface SequenceModelOptions {
  /** Symbols (an embedding of `embeddingDim` learns their vectors) or real values of this size per step. */
  input: { kind: 'tokens'; vocab: number } | { kind: 'values'; size: number };
  /** Outputs of the read-out: classes, or 1 for regression. */
  outputs: number;
  readout: 'last' | 'steps';
  layer: Omit<LayerOptions, 'inputSize' | 'store' | 'dtype' | 'name'>;
  embeddingDim?: number;
  dtype?: DType;
  seed?: number;
}

export interface SequenceInput {
  T: number;
  B: number;
  tokens?: ArrayLike<number>;
  values?: ArrayLike<number>;
  lengths?: number[];
}

export interface RunOptions {
  training?: boolean;
  rng?: Rng;
}

export class SequenceModel extends Model {
  readonly store: ParamStore;
  readonly embedding: Embedding | null;
  readonly rnn: RecurrentLayer;
  readonly head: Linear;
  readonly readout: 'last' | 'steps';
  readonly options: SequenceModelOptions;

  constructor(options: SequenceModelOptions) {
    super();
    this.options = options;
    this.store = new ParamStore(options.dtype ?? 'f32');
    const rng = new Rng(options.seed ?? 0);
    if (options.readout !== 'last' && options.readout !== 'steps')
      throw new ArgumentError('SequenceModel', 'readout', "'last' or 'steps'", options.readout);
    this.readout = options.readout;
    let inputSize: number;
    if (options.input.kind === 'tokens') {
      // MUT1–3 add x_t to hidden-size vectors, so their symbols' vectors are hidden-size too.
      const dim = embeddingWidth(options.layer, options.embeddingDim, 16);
      this.embedding = new Embedding(this.store, 'embedding', options.input.vocab, dim);
      inputSize = dim;
    } else {
      this.embedding = null;
      inputSize = options.input.size;
    }
    this.rnn = new RecurrentLayer({ ...options.layer, inputSize, store: this.store, name: 'rnn' });
    const bidirectional = this.rnn.directions === 2;
    const features = options.readout === 'last' && bidirectional ? 2 * this.rnn.hiddenSize : this.rnn.layerOutputSize();
    this.head = new Linear(this.store, 'head', features, options.outputs);
    this.store.allocate();
    this.embedding?.initialize(rng);
    this.rnn.initialize(new Rng(rng.int(2 ** 31)));
    this.head.initialize(rng);
  }

  protected parts(): [string, StateModule | null][] {
    return [
      ['embedding', this.embedding],
      ['rnn', this.rnn],
      ['head', this.head],
    ];
  }

  /** The input sequence as a [T, B, I] tensor. */
  embed(tape: Tape | null, x: SequenceInput): Tensor {
    if (this.embedding !== null) {
      if (x.tokens === undefined)
        throw new ArgumentError('SequenceModel', 'input.tokens', 'the tokens this model reads', undefined);
      return this.embedding.forward(tape, x.tokens, [x.T, x.B]);
    }
    if (x.values === undefined)
      throw new ArgumentError('SequenceModel', 'input.values', 'the values this model reads', undefined);
    return Tensor.from(x.values, [x.T, x.B, (this.options.input as { size: number }).size], this.store.dtype);
  }

  /** Read-out: [B, outputs] for 'last', [T, B, outputs] for 'steps'. */
  forward(tape: Tape | null, x: SequenceInput, run: RunOptions = {}): Tensor {
    const out = this.rnn.forward(tape, this.embed(tape, x), {
      lengths: x.lengths,
      training: run.training,
      rng: run.rng,
    });
    if (this.readout === 'steps') return this.head.forward(tape, out.y);
    if (this.rnn.directions === 1) return this.head.forward(tape, lastStep(tape, out.y, x.lengths));
    // Bidirectional: the final states of the top layer's two directions.
    const top = (this.rnn.numLayers - 1) * 2;
    const both = ops.concat(tape, [ops.selectStep(tape, out.h, top), ops.selectStep(tape, out.h, top + 1)]);
    return this.head.forward(tape, both);
  }

  parameterCount(): number {
    return this.store.size;
  }
}
