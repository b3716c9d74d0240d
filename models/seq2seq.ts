// The encoder-decoder (Sutskever, Vinyals & Le 2014; Cho et al. 2014): an encoder reads the
// source sequence; its final state starts a separate decoder (decoder.ts), which emits the
// target one symbol at a time. Source symbols are 0..sourceVocab−1.
import { padTimeMajor, ParamStore, Rng, type DType, type Tape, type Tensor } from '../core/index.js';
import { Embedding, RecurrentLayer, type LayerOptions, type StateModule } from '../cells/index.js';
import { Decoder, decodedAccuracy, type StartState } from './decoder.js';
import { embeddingWidth, Model, oneWayOnly, refuseLayerOptions } from './model.js';

export interface Seq2SeqOptions {
  sourceVocab: number;
  targetVocab: number;
  /** Cell, hidden size, layers: the encoder and the decoder are alike (unidirectional). */
  layer: Omit<LayerOptions, 'inputSize' | 'store' | 'dtype' | 'name' | 'bidirectional' | 'merge'>;
  embeddingDim?: number;
  dtype?: DType;
  seed?: number;
}

/** A batch of B pairs, time-major and padded: source [S·B] with lengths, target [U·B] with lengths (EOS included). */
export interface PairBatch {
  B: number;
  S: number;
  source: number[];
  sourceLengths: number[];
  U: number;
  target: number[];
  targetLengths: number[];
}

export class Seq2Seq extends Model {
  readonly store: ParamStore;
  readonly sourceEmbedding: Embedding;
  readonly encoder: RecurrentLayer;
  readonly decoder: Decoder;
  readonly EOS: number;
  readonly GO: number;

  constructor(readonly options: Seq2SeqOptions) {
    super();
    refuseLayerOptions('Seq2Seq', options.layer, oneWayOnly);
    this.store = new ParamStore(options.dtype ?? 'f32');
    const rng = new Rng(options.seed ?? 0);
    const dim = embeddingWidth(options.layer, options.embeddingDim, 16);
    this.sourceEmbedding = new Embedding(this.store, 'source_embedding', options.sourceVocab, dim);
    this.encoder = new RecurrentLayer({ ...options.layer, inputSize: dim, store: this.store, name: 'encoder' });
    this.decoder = new Decoder(this.store, options.targetVocab, options.layer, dim);
    this.EOS = this.decoder.EOS;
    this.GO = this.decoder.GO;
    this.store.allocate();
    const encoderSeed = rng.int(2 ** 31),
      decoderSeed = rng.int(2 ** 31);
    this.encoder.initialize(new Rng(encoderSeed));
    this.decoder.layer.initialize(new Rng(decoderSeed));
    for (const m of [this.sourceEmbedding, this.decoder.embedding, this.decoder.head]) m.initialize(rng);
  }

  protected parts(): [string, StateModule | null][] {
    return [
      ['source_embedding', this.sourceEmbedding],
      ['encoder', this.encoder],
      ['target_embedding', this.decoder.embedding],
      ['decoder', this.decoder.layer],
      ['head', this.decoder.head],
    ];
  }

  /** The encoder's final state (h, and c for an LSTM), taken at each source's own last symbol. */
  encode(tape: Tape | null, batch: PairBatch, training = false, rng?: Rng): StartState {
    const x = this.sourceEmbedding.forward(tape, batch.source, [batch.S, batch.B]);
    const out = this.encoder.forward(tape, x, { lengths: batch.sourceLengths, training, rng });
    return { h: out.h, c: out.c };
  }

  /** Teacher forcing: mean cross-entropy of the target symbols (EOS included) given the true previous ones. */
  loss(tape: Tape | null, batch: PairBatch, training = false, rng?: Rng): Tensor {
    return this.decoder.loss(tape, this.encode(tape, batch, training, rng), batch, training, rng);
  }

  /** Greedy decoding: each step feeds back the likeliest symbol, until EOS or maxLength symbols. */
  greedy(batch: PairBatch, maxLength: number): number[][] {
    return this.decoder.greedy(this.encode(null, batch), batch.B, maxLength, 'Seq2Seq.greedy');
  }
}

/** Digit-string pairs of length minLength..maxLength: the target is the source reversed, or sorted. */
export function digitPairs(rng: Rng, B: number, kind: 'reverse' | 'sort', minLength = 5, maxLength = 10): PairBatch {
  const sources = Array.from({ length: B }, () =>
    Array.from({ length: minLength + rng.int(maxLength - minLength + 1) }, () => rng.int(10)),
  );
  const targets = sources.map((s) => (kind === 'reverse' ? [...s].reverse() : [...s].sort((a, b) => a - b)));
  const source = padTimeMajor(sources);
  // Each target ends in EOS (10), so that the decoder learns to stop.
  const target = padTimeMajor(targets.map((s) => [...s, 10]));
  return {
    B,
    S: source.T,
    source: source.values,
    sourceLengths: source.lengths,
    U: target.T,
    target: target.values,
    targetLengths: target.lengths,
  };
}

/** Share of pairs whose greedy decoding is exactly the target, and share of target symbols right in place. */
export function pairAccuracy(model: Seq2Seq, batch: PairBatch): { sequences: number; symbols: number } {
  return decodedAccuracy(model.greedy(batch, batch.U + 2), batch);
}
