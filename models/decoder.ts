// The decoder of the sequence-generating models (the encoder-decoder, the one-to-many
// generator): from a start state it emits a target sequence one symbol at a time. Training
// feeds it the true previous symbol (teacher forcing); inference feeds back its own most
// likely symbol (greedy decoding) until it emits EOS.
//
// Target symbols are 0..targetVocab−1 plus EOS (= targetVocab) in the output, and GO
// (= targetVocab + 1) as the first input.
import { ArgumentError, argmaxRows, ops, type ParamStore, type Rng, type Tape, type Tensor } from '../core/index.js';
import { Embedding, Linear, RecurrentLayer, type LayerOptions } from '../cells/index.js';

/** Targets of B sequences, time-major and padded: [U·B], each sequence's length counting its EOS. */
export interface TargetBatch {
  B: number;
  U: number;
  target: number[];
  targetLengths: number[];
}

/** The decoder's start: h [numLayers, B, H], and c for an LSTM. */
export interface StartState {
  h: Tensor;
  c: Tensor | null;
}

export class Decoder {
  readonly embedding: Embedding;
  readonly layer: RecurrentLayer;
  readonly head: Linear;
  readonly EOS: number;
  readonly GO: number;

  /** Declares target_embedding, decoder and head in the store (the owner allocates and initialises). */
  constructor(
    store: ParamStore,
    targetVocab: number,
    layer: Omit<LayerOptions, 'inputSize' | 'store' | 'dtype' | 'name' | 'bidirectional' | 'merge'>,
    embeddingDim: number,
  ) {
    this.EOS = targetVocab;
    this.GO = targetVocab + 1;
    this.embedding = new Embedding(store, 'target_embedding', targetVocab + 2, embeddingDim);
    this.layer = new RecurrentLayer({ ...layer, inputSize: embeddingDim, store, name: 'decoder' });
    this.head = new Linear(store, 'head', this.layer.hiddenSize, targetVocab + 1);
  }

  /** Teacher forcing: mean cross-entropy of the target symbols (EOS included) given the true previous ones. */
  loss(tape: Tape | null, start: StartState, batch: TargetBatch, training = false, rng?: Rng): Tensor {
    const { B, U } = batch;
    const inputs = Array.from({ length: U * B }, (_, q) => (q < B ? this.GO : batch.target[q - B]));
    const y = this.layer.forward(tape, this.embedding.forward(tape, inputs, [U, B]), {
      h0: start.h,
      c0: start.c ?? undefined,
      lengths: batch.targetLengths,
      training,
      rng,
    }).y;
    const mask = Array.from({ length: U * B }, (_, q) => (Math.floor(q / B) < batch.targetLengths[q % B] ? 1 : 0));
    return ops.softmaxCrossEntropy(tape, this.head.forward(tape, y), batch.target, { mask });
  }

  /** Greedy decoding of B sequences: each step feeds back the likeliest symbol, until EOS or maxLength symbols. */
  greedy(start: StartState, B: number, maxLength: number, where = 'Decoder.greedy'): number[][] {
    if (!Number.isSafeInteger(maxLength) || maxLength < 1)
      throw new ArgumentError(where, 'maxLength', 'an integer ≥ 1 (the most symbols to generate)', maxLength);
    let { h, c } = start;
    const outputs: number[][] = Array.from({ length: B }, () => []);
    const done = new Array<boolean>(B).fill(false);
    let previous = new Array<number>(B).fill(this.GO);
    for (let t = 0; t < maxLength && done.includes(false); t++) {
      const out = this.layer.forward(null, this.embedding.forward(null, previous, [1, B]), {
        h0: h,
        c0: c ?? undefined,
      });
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

/** Share of sequences decoded exactly, and share of target symbols right in place (EOS not counted). */
export function decodedAccuracy(
  decoded: readonly number[][],
  batch: TargetBatch,
): { sequences: number; symbols: number } {
  let exact = 0,
    right = 0,
    total = 0;
  decoded.forEach((out, b) => {
    const n = batch.targetLengths[b] - 1;
    const want = Array.from({ length: n }, (_, t) => batch.target[t * batch.B + b]);
    if (out.length === n && out.every((v, t) => v === want[t])) exact++;
    for (let t = 0; t < n; t++) if (out[t] === want[t]) right++;
    total += n;
  });
  return { sequences: exact / batch.B, symbols: right / total };
}
