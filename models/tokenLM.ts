// A token-level recurrent language model: embedding → stacked recurrent layer → linear →
// softmax over the next token. Trained on a token stream split into B parallel streams, in
// chunks of k steps with the state carried (detached) from chunk to chunk. The character
// model (charLM.ts) and the word model (wordLM.ts) are this over their own tokens.
import {
  ArgumentError,
  carry,
  dispose,
  ops,
  ParamStore,
  withScope,
  Rng,
  type DType,
  type Tape,
  type Tensor,
} from '../core/index.js';
import { Embedding, Linear, RecurrentLayer, type LayerOptions, type StateModule } from '../cells/index.js';
import { embeddingWidth, Model, oneWayOnly, refuseLayerOptions } from './model.js';
import { truncatedBptt, type RecurrentState, type WindowModel } from '../train/bptt.js';

export interface TokenLMOptions {
  layer: Omit<LayerOptions, 'inputSize' | 'store' | 'dtype' | 'name' | 'bidirectional'>;
  embeddingDim?: number;
  dtype?: DType;
  seed?: number;
}

/**
 * At most this many logits in one chunk of an evaluation (16 MB in float32). Larger buffers
 * are made afresh each chunk, never reused (core/scope.ts keeps at most 64 MB of freed
 * arrays), and on the js backend the fresh pages cost more than the softmax over them: the
 * word model's test perplexity took 7.9 s per 32,000 tokens in chunks of 200 steps × 16
 * streams (51 MB of logits), 3.8 s in chunks of 50.
 */
const LOGITS_PER_CHUNK = 2 ** 22;

export class TokenLM extends Model {
  readonly store: ParamStore;
  readonly embedding: Embedding;
  readonly rnn: RecurrentLayer;
  readonly head: Linear;

  /** A model over `vocab` tokens; the embedding is `defaultDim` wide unless the options say. */
  constructor(
    readonly vocab: number,
    options: TokenLMOptions,
    defaultDim: number,
  ) {
    super();
    refuseLayerOptions(this.constructor.name, options.layer, oneWayOnly);
    this.store = new ParamStore(options.dtype ?? 'f32');
    const rng = new Rng(options.seed ?? 0);
    const dim = embeddingWidth(options.layer, options.embeddingDim, defaultDim);
    this.embedding = new Embedding(this.store, 'embedding', vocab, dim);
    this.rnn = new RecurrentLayer({ ...options.layer, inputSize: dim, store: this.store, name: 'rnn' });
    this.head = new Linear(this.store, 'head', this.rnn.hiddenSize, vocab);
    this.store.allocate();
    this.embedding.initialize(rng);
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

  /** Logits [T, B, vocab] for tokens [T·B] (time-major), from `state` (null: zeros). */
  forward(
    tape: Tape | null,
    tokens: ArrayLike<number>,
    T: number,
    B: number,
    state: RecurrentState | null,
    training = false,
    rng?: Rng,
  ): { logits: Tensor; state: RecurrentState } {
    const x = this.embedding.forward(tape, tokens, [T, B]);
    const out = this.rnn.forward(tape, x, { h0: state?.h, c0: state?.c ?? undefined, training, rng });
    return { logits: this.head.forward(tape, out.y), state: { h: out.h, c: out.c } };
  }

  /**
   * The model over a batch of B streams of T + 1 tokens (time-major [(T+1)·B]): inputs are
   * steps 0..T−1 and targets steps 1..T; the loss of a window is its share of the mean
   * cross-entropy over all T·B predictions.
   */
  windowModel(tokens: ArrayLike<number>, T: number, B: number, training = false, rng?: Rng): WindowModel {
    return {
      forward: (tape, from, to, state) => {
        const { logits, state: after } = this.forward(
          tape,
          slice(tokens, from * B, to * B),
          to - from,
          B,
          state,
          training,
          rng,
        );
        return { outputs: logits, state: after };
      },
      loss: (tape, outputs, from, scoredFrom, to) => {
        const steps = to - scoredFrom;
        const scored = ops.reshape(tape, outputs, [outputs.shape[0] * B, this.vocab]);
        const rows = ops.gather(
          tape,
          scored,
          Array.from({ length: steps * B }, (_, q) => (scoredFrom - from) * B + q),
        );
        const targets = slice(tokens, (scoredFrom + 1) * B, (to + 1) * B);
        return ops.scale(tape, ops.softmaxCrossEntropy(tape, rows, targets, { reduction: 'sum' }), 1 / (T * B));
      },
    };
  }

  /**
   * Gradients for one chunk of T + 1 tokens per stream by TBPTT(k1, k2) (k1 = k2 = T: plain
   * truncated BPTT); returns the mean loss and the state to carry. Dropout is on when an Rng is given.
   */
  chunkGradients(
    tokens: ArrayLike<number>,
    T: number,
    B: number,
    state: RecurrentState | null,
    k1 = T,
    k2 = T,
    dropoutRng?: Rng,
  ): { loss: number; state: RecurrentState } {
    return truncatedBptt(this.windowModel(tokens, T, B, dropoutRng !== undefined, dropoutRng), T, { k1, k2 }, state);
  }

  /**
   * Mean cross-entropy in nats per token of a token sequence (no tape), read as `streams`
   * parallel rows (the sequence cut into equal parts, the remainder dropped), `chunk` steps at a
   * time, or fewer where a chunk's logits would pass LOGITS_PER_CHUNK values (a word model's
   * 5,000 classes): the state is carried, so the chunk changes the time and memory, not the result.
   */
  evaluateTokens(tokens: ArrayLike<number>, chunk = 200, streams = 1): number {
    const rows = new TokenStreams(tokens, streams),
      rowLength = rows.rowLength;
    const steps = Math.max(1, Math.min(chunk, Math.floor(LOGITS_PER_CHUNK / (streams * this.vocab))));
    let state: RecurrentState | null = null,
      total = 0,
      count = 0;
    for (let at = 0; at + 1 < rowLength; at += steps) {
      const T = Math.min(steps, rowLength - 1 - at);
      const { tokens: window } = rows.next(T);
      // Each chunk in its own allocation scope; only the state goes on to the next.
      state = carry(
        state,
        withScope(() => {
          const { logits, state: after } = this.forward(null, window.slice(0, T * streams), T, streams, state);
          total += ops.softmaxCrossEntropy(null, logits, window.slice(streams), { reduction: 'sum' }).item();
          return after;
        }),
      );
      count += T * streams;
    }
    dispose(state);
    return total / count;
  }
}

function slice(tokens: ArrayLike<number>, from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, q) => tokens[from + q]);
}

/**
 * A token stream cut into B rows read side by side, as char-rnn does: row b starts at
 * b·⌊n/B⌋. Each chunk gives T + 1 tokens per row (time-major), the last one also starting
 * the next chunk. When a row would run past its end, all rows go back to their starts and
 * the chunk says so: the carried state must then be reset.
 */
export class TokenStreams {
  readonly rowLength: number;
  position = 0;

  constructor(
    readonly tokens: ArrayLike<number>,
    readonly B: number,
  ) {
    this.rowLength = Math.floor(tokens.length / B);
    if (!Number.isInteger(B) || B < 1 || this.rowLength < 2)
      throw new ArgumentError(
        'TokenStreams',
        'B',
        `an integer ≥ 1 that makes rows of at least 2 of the ${tokens.length} tokens`,
        B,
      );
  }

  next(T: number): { tokens: number[]; reset: boolean } {
    if (T + 1 > this.rowLength)
      throw new ArgumentError(
        'TokenStreams.next',
        'T',
        `at most ${this.rowLength - 1} steps (a chunk of T steps needs rows of T + 1 tokens, and they hold ${this.rowLength})`,
        T,
      );
    let reset = false;
    if (this.position + T + 1 > this.rowLength) {
      this.position = 0;
      reset = true;
    }
    const out: number[] = new Array((T + 1) * this.B);
    for (let t = 0; t <= T; t++)
      for (let b = 0; b < this.B; b++) out[t * this.B + b] = this.tokens[b * this.rowLength + this.position + t];
    this.position += T;
    return { tokens: out, reset };
  }
}
