// The encoder-decoder (Sutskever, Vinyals & Le 2014; Cho et al. 2014): an encoder reads the
// source sequence; its final state starts a separate decoder, which emits the target one
// symbol at a time. Training feeds the decoder the true previous symbol (teacher forcing);
// inference feeds back its own most likely symbol (greedy decoding) until it emits EOS.
//
// Source symbols are 0..sourceVocab−1. Target symbols are 0..targetVocab−1 plus EOS
// (= targetVocab) in the output, and GO (= targetVocab + 1) as the decoder's first input.
import { argmaxRows, ops, padTimeMajor, ParamStore, Rng, Tensor, type DType, type Tape } from '../core/index.js';
import { Embedding, Linear, RecurrentLayer, type LayerOptions, type StateModule } from '../cells/index.js';
import { Model } from './model.js';

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
  readonly targetEmbedding: Embedding;
  readonly decoder: RecurrentLayer;
  readonly head: Linear;
  readonly EOS: number;
  readonly GO: number;

  constructor(readonly options: Seq2SeqOptions) {
    super();
    this.store = new ParamStore(options.dtype ?? 'f32');
    const rng = new Rng(options.seed ?? 0);
    const dim = options.embeddingDim ?? 16;
    this.EOS = options.targetVocab;
    this.GO = options.targetVocab + 1;
    this.sourceEmbedding = new Embedding(this.store, 'source_embedding', options.sourceVocab, dim);
    this.encoder = new RecurrentLayer({ ...options.layer, inputSize: dim, store: this.store, name: 'encoder' });
    this.targetEmbedding = new Embedding(this.store, 'target_embedding', options.targetVocab + 2, dim);
    this.decoder = new RecurrentLayer({ ...options.layer, inputSize: dim, store: this.store, name: 'decoder' });
    this.head = new Linear(this.store, 'head', this.decoder.hiddenSize, options.targetVocab + 1);
    this.store.allocate();
    const encoderSeed = rng.int(2 ** 31), decoderSeed = rng.int(2 ** 31);
    this.encoder.initialize(new Rng(encoderSeed));
    this.decoder.initialize(new Rng(decoderSeed));
    for (const m of [this.sourceEmbedding, this.targetEmbedding, this.head]) m.initialize(rng);
  }

  protected parts(): [string, StateModule | null][] {
    return [['source_embedding', this.sourceEmbedding], ['encoder', this.encoder], ['target_embedding', this.targetEmbedding], ['decoder', this.decoder], ['head', this.head]];
  }

  /** The encoder's final state (h, and c for an LSTM), taken at each source's own last symbol. */
  encode(tape: Tape | null, batch: PairBatch, training = false, rng?: Rng): { h: Tensor; c: Tensor | null } {
    const x = this.sourceEmbedding.forward(tape, batch.source, [batch.S, batch.B]);
    const out = this.encoder.forward(tape, x, { lengths: batch.sourceLengths, training, rng });
    return { h: out.h, c: out.c };
  }

  /** Teacher forcing: mean cross-entropy of the target symbols (EOS included) given the true previous ones. */
  loss(tape: Tape | null, batch: PairBatch, training = false, rng?: Rng): Tensor {
    const state = this.encode(tape, batch, training, rng);
    const { B, U } = batch;
    const inputs = Array.from({ length: U * B }, (_, q) => (q < B ? this.GO : batch.target[q - B]));
    const y = this.decoder.forward(tape, this.targetEmbedding.forward(tape, inputs, [U, B]), {
      h0: state.h, c0: state.c ?? undefined, lengths: batch.targetLengths, training, rng,
    }).y;
    const mask = Array.from({ length: U * B }, (_, q) => (Math.floor(q / B) < batch.targetLengths[q % B] ? 1 : 0));
    return ops.softmaxCrossEntropy(tape, this.head.forward(tape, y), batch.target, { mask });
  }

  /** Greedy decoding: each step feeds back the likeliest symbol, until EOS or maxLength symbols. */
  greedy(batch: PairBatch, maxLength: number): number[][] {
    let { h, c } = this.encode(null, batch);
    const { B } = batch;
    const outputs: number[][] = Array.from({ length: B }, () => []);
    const done = new Array<boolean>(B).fill(false);
    let previous = new Array<number>(B).fill(this.GO);
    for (let t = 0; t < maxLength && done.includes(false); t++) {
      const out = this.decoder.forward(null, this.targetEmbedding.forward(null, previous, [1, B]), { h0: h, c0: c ?? undefined });
      const choice = argmaxRows(this.head.forward(null, out.y));
      previous = previous.map((_, b) => {
        const best = choice[b];
        if (!done[b]) {
          if (best === this.EOS) done[b] = true;
          else outputs[b].push(best);
        }
        return best;
      });
      h = out.h;
      c = out.c;
    }
    return outputs;
  }
}

/** Digit-string pairs of length minLength..maxLength: the target is the source reversed, or sorted. */
export function digitPairs(rng: Rng, B: number, kind: 'reverse' | 'sort', minLength = 5, maxLength = 10): PairBatch {
  const sources = Array.from({ length: B }, () => Array.from({ length: minLength + rng.int(maxLength - minLength + 1) }, () => rng.int(10)));
  const targets = sources.map((s) => (kind === 'reverse' ? [...s].reverse() : [...s].sort((a, b) => a - b)));
  const source = padTimeMajor(sources);
  // Each target ends in EOS (10), so that the decoder learns to stop.
  const target = padTimeMajor(targets.map((s) => [...s, 10]));
  return { B, S: source.T, source: source.values, sourceLengths: source.lengths, U: target.T, target: target.values, targetLengths: target.lengths };
}

/** Share of pairs whose greedy decoding is exactly the target, and share of target symbols right in place. */
export function pairAccuracy(model: Seq2Seq, batch: PairBatch): { sequences: number; symbols: number } {
  const decoded = model.greedy(batch, batch.U + 2);
  let exact = 0, right = 0, total = 0;
  decoded.forEach((out, b) => {
    const n = batch.targetLengths[b] - 1;
    const want = Array.from({ length: n }, (_, t) => batch.target[t * batch.B + b]);
    if (out.length === n && out.every((v, t) => v === want[t])) exact++;
    for (let t = 0; t < n; t++) if (out[t] === want[t]) right++;
    total += n;
  });
  return { sequences: exact / batch.B, symbols: right / total };
}
