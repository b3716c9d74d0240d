// The one-to-many architecture, as in image captioning (Vinyals et al. 2015; Karpathy &
// Fei-Fei 2015): one input vector x, a sequence out. Here x sets the decoder's initial state,
//
//   h₀ = tanh(W_init x + b_init)   (per layer; an LSTM's c₀ starts at 0)
//
// and is not fed again: every step reads only the previous output symbol (decoder.ts:
// teacher forcing in training, greedy decoding at inference). Show and Tell fed the image
// once as the first input instead; setting the state is the other common choice, and keeps
// the decoder's input a plain symbol stream.
import {
  ArgumentError,
  checkFiniteValues,
  ops,
  ParamStore,
  Rng,
  Tensor,
  type DType,
  type Tape,
} from '../core/index.js';
import { Linear, type LayerOptions, type StateModule } from '../cells/index.js';
import { Decoder, type StartState, type TargetBatch } from './decoder.js';
import { embeddingWidth, Model, oneWayOnly, refuseLayerOptions } from './model.js';

export interface OneToManyOptions {
  inputSize: number;
  targetVocab: number;
  layer: Omit<LayerOptions, 'inputSize' | 'store' | 'dtype' | 'name' | 'bidirectional' | 'merge'>;
  embeddingDim?: number;
  dtype?: DType;
  seed?: number;
}

/** B inputs [B·inputSize] and their target sequences. */
export interface OneToManyBatch extends TargetBatch {
  inputs: ArrayLike<number>;
}

export class OneToMany extends Model {
  readonly store: ParamStore;
  readonly init: Linear;
  readonly decoder: Decoder;

  constructor(readonly options: OneToManyOptions) {
    super();
    refuseLayerOptions('OneToMany', options.layer, oneWayOnly);
    this.store = new ParamStore(options.dtype ?? 'f32');
    const rng = new Rng(options.seed ?? 0);
    this.decoder = new Decoder(
      this.store,
      options.targetVocab,
      options.layer,
      embeddingWidth(options.layer, options.embeddingDim, 16),
    );
    const { numLayers, hiddenSize } = this.decoder.layer;
    this.init = new Linear(this.store, 'init', options.inputSize, numLayers * hiddenSize);
    this.store.allocate();
    this.decoder.layer.initialize(new Rng(rng.int(2 ** 31)));
    for (const m of [this.decoder.embedding, this.decoder.head, this.init]) m.initialize(rng);
  }

  protected parts(): [string, StateModule | null][] {
    return [
      ['init', this.init],
      ['target_embedding', this.decoder.embedding],
      ['decoder', this.decoder.layer],
      ['head', this.decoder.head],
    ];
  }

  /** The decoder's initial state from the inputs: h₀ = tanh(W_init x + b_init), [numLayers, B, H]. */
  start(tape: Tape | null, inputs: ArrayLike<number>, B: number, where = 'OneToMany.start'): StartState {
    const { numLayers, hiddenSize: H } = this.decoder.layer;
    const I = this.options.inputSize;
    if (!Number.isSafeInteger(B) || B < 1)
      throw new ArgumentError(where, 'B', 'an integer ≥ 1 (the number of inputs)', B);
    if (inputs === null || typeof inputs !== 'object' || typeof inputs.length !== 'number')
      throw new ArgumentError(where, 'inputs', `an array of B·inputSize numbers`, inputs);
    if (inputs.length !== B * I)
      throw new ArgumentError(
        where,
        'inputs',
        `B·inputSize = ${B}·${I} = ${B * I} values, one row of ${I} per input`,
        `${inputs.length}`,
        true,
      );
    checkFiniteValues(where, 'inputs', inputs, '; inputs must be finite');
    const x = Tensor.from(inputs, [B, I], this.store.dtype);
    const perLayer = ops.tanh(tape, this.init.forward(tape, x));
    const h = ops.reshape(
      tape,
      numLayers === 1 ? perLayer : ops.stack(tape, ops.split(tape, perLayer, new Array(numLayers).fill(H))),
      [numLayers, B, H],
    );
    const c = this.decoder.layer.hasCellState ? Tensor.zeros([numLayers, B, H], this.store.dtype) : null;
    return { h, c };
  }

  /** Teacher forcing: mean cross-entropy of the target symbols (EOS included). */
  loss(tape: Tape | null, batch: OneToManyBatch, training = false, rng?: Rng): Tensor {
    return this.decoder.loss(tape, this.start(tape, batch.inputs, batch.B, 'OneToMany.loss'), batch, training, rng);
  }

  /** Greedy decoding of each input's sequence, up to maxLength symbols. */
  generate(inputs: ArrayLike<number>, B: number, maxLength: number): number[][] {
    return this.decoder.greedy(this.start(null, inputs, B, 'OneToMany.generate'), B, maxLength, 'OneToMany.generate');
  }
}
