// A character-level language model, the one-to-many generator of the textbooks
// (Karpathy's char-rnn): embedding → stacked recurrent layer → linear → softmax over the
// next character. Trained on a text split into B parallel streams, in chunks of k steps
// with the state carried (detached) from chunk to chunk; sampled with a temperature,
// top-k and a priming text, reproducibly for a given seed.
import { ArgumentError, alloc, ops, ParamStore, Rng, Tensor, type Buf, type DType, type Tape } from '../core/index.js';
import { Embedding, Linear, RecurrentLayer, traceCell, type LayerOptions, type StateModule } from '../cells/index.js';
import { Model } from './model.js';
import { detachState, truncatedBptt, type RecurrentState, type WindowModel } from '../train/bptt.js';

export interface CharLMOptions {
  /** The characters the model knows, in token order. */
  alphabet: string;
  layer: Omit<LayerOptions, 'inputSize' | 'store' | 'dtype' | 'name' | 'bidirectional'>;
  embeddingDim?: number;
  dtype?: DType;
  seed?: number;
}

export interface SampleOptions {
  length: number;
  /** Divides the logits: below 1 sharpens, above 1 flattens (default 1). */
  temperature?: number;
  /** Sample only among the k likeliest characters (default: all). */
  topK?: number;
  /** Text to read first; the sample continues it (default: one random character). */
  prime?: string;
  seed?: number;
}

export class CharLM extends Model {
  readonly store: ParamStore;
  readonly alphabet: string;
  readonly embedding: Embedding;
  readonly rnn: RecurrentLayer;
  readonly head: Linear;
  private readonly index: Map<string, number>;

  constructor(readonly options: CharLMOptions) {
    super();
    const chars = [...options.alphabet];
    if (chars.length < 2 || new Set(chars).size !== chars.length) throw new Error('CharLM: alphabet must hold at least two distinct characters');
    this.alphabet = options.alphabet;
    this.index = new Map(chars.map((ch, q) => [ch, q]));
    this.store = new ParamStore(options.dtype ?? 'f32');
    const rng = new Rng(options.seed ?? 0);
    const dim = options.embeddingDim ?? 32;
    this.embedding = new Embedding(this.store, 'embedding', chars.length, dim);
    this.rnn = new RecurrentLayer({ ...options.layer, inputSize: dim, store: this.store, name: 'rnn' });
    this.head = new Linear(this.store, 'head', this.rnn.hiddenSize, chars.length);
    this.store.allocate();
    this.embedding.initialize(rng);
    this.rnn.initialize(new Rng(rng.int(2 ** 31)));
    this.head.initialize(rng);
  }

  protected parts(): [string, StateModule | null][] {
    return [['embedding', this.embedding], ['rnn', this.rnn], ['head', this.head]];
  }

  /** The sorted set of characters of a text: an alphabet for it. */
  static alphabetOf(text: string): string {
    return [...new Set(text)].sort().join('');
  }

  get vocab(): number {
    return this.index.size;
  }

  encode(text: string): number[] {
    return [...text].map((ch, q) => {
      const token = this.index.get(ch);
      if (token === undefined) throw new ArgumentError('CharLM.encode', `character ${JSON.stringify(ch)} at ${q}`, 'in the alphabet', 'a character not in it', true);
      return token;
    });
  }

  decode(tokens: ArrayLike<number>): string {
    return Array.from(tokens, (t) => [...this.alphabet][t]).join('');
  }

  /** Logits [T, B, vocab] for tokens [T·B] (time-major), from `state` (null: zeros). */
  forward(tape: Tape | null, tokens: ArrayLike<number>, T: number, B: number, state: RecurrentState | null, training = false, rng?: Rng): { logits: Tensor; state: RecurrentState } {
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
        const { logits, state: after } = this.forward(tape, slice(tokens, from * B, to * B), to - from, B, state, training, rng);
        return { outputs: logits, state: after };
      },
      loss: (tape, outputs, from, scoredFrom, to) => {
        const steps = to - scoredFrom;
        const scored = ops.reshape(tape, outputs, [outputs.shape[0] * B, this.vocab]);
        const rows = ops.gather(tape, scored, Array.from({ length: steps * B }, (_, q) => (scoredFrom - from) * B + q));
        const targets = slice(tokens, (scoredFrom + 1) * B, (to + 1) * B);
        return ops.scale(tape, ops.softmaxCrossEntropy(tape, rows, targets, { reduction: 'sum' }), 1 / (T * B));
      },
    };
  }

  /**
   * Gradients for one chunk of T + 1 tokens per stream by TBPTT(k1, k2) (k1 = k2 = T: plain
   * truncated BPTT); returns the mean loss and the state to carry. Dropout is on when an Rng is given.
   */
  chunkGradients(tokens: ArrayLike<number>, T: number, B: number, state: RecurrentState | null, k1 = T, k2 = T, dropoutRng?: Rng): { loss: number; state: RecurrentState } {
    return truncatedBptt(this.windowModel(tokens, T, B, dropoutRng !== undefined, dropoutRng), T, { k1, k2 }, state);
  }

  /**
   * Mean cross-entropy in nats per character of a text (no tape), read as `streams` parallel
   * rows (the text cut into equal parts, the remainder dropped), `chunk` steps at a time.
   */
  evaluate(text: string, chunk = 200, streams = 1): number {
    const tokens = this.encode(text);
    const rows = new TokenStreams(tokens, streams), rowLength = rows.rowLength;
    let state: RecurrentState | null = null, total = 0, count = 0;
    for (let at = 0; at + 1 < rowLength; at += chunk) {
      const T = Math.min(chunk, rowLength - 1 - at);
      const { tokens: window } = rows.next(T);
      const { logits, state: after } = this.forward(null, window.slice(0, T * streams), T, streams, state);
      total += ops.softmaxCrossEntropy(null, logits, window.slice(streams), { reduction: 'sum' }).item();
      count += T * streams;
      state = detachState(after);
    }
    return total / count;
  }

  /**
   * Read a text one character at a time through the first layer's cell (the unfused step),
   * recording for every character each term of the cell's equations (Cell.stepTerms: h, and
   * c, f, i, g, o for an LSTM, r, z, n for a GRU): [characters][H] each. For the pictures
   * of cell activations, gate saturation and the equations with numbers.
   */
  trace(text: string): Record<string, Buf[]> {
    const tokens = this.encode(text);
    const terms = traceCell(null, this.rnn.cells[0][0], this.embedding.forward(null, tokens, [tokens.length, 1]));
    const copy = (t: Tensor): Buf => {
      const b = alloc(t.dtype, t.size);
      b.set(t.data);
      return b;
    };
    return Object.fromEntries(Object.entries(terms).map(([name, steps]) => [name, steps.map(copy)]));
  }

  /** Generate `length` characters after the prime; the same seed gives the same text. */
  sample(options: SampleOptions): string {
    const { length, temperature = 1, topK = this.vocab } = options;
    if (!Number.isInteger(length) || length < 0) throw new ArgumentError('CharLM.sample', 'length', 'a whole number', length);
    if (!(temperature > 0 && Number.isFinite(temperature))) throw new ArgumentError('CharLM.sample', 'temperature', 'a number > 0', temperature);
    if (!Number.isInteger(topK) || topK < 1) throw new ArgumentError('CharLM.sample', 'topK', 'a positive integer', topK);
    const rng = new Rng(options.seed ?? 0);
    const prime = options.prime ?? [...this.alphabet][rng.int(this.vocab)];
    if (prime.length === 0) throw new Error('CharLM.sample: prime must not be empty');
    const primeTokens = this.encode(prime);
    let { logits, state } = this.forward(null, primeTokens, primeTokens.length, 1, null);
    let last = Array.from(logits.data.subarray((primeTokens.length - 1) * this.vocab));
    const out: number[] = [];
    for (let k = 0; k < length; k++) {
      const token = pick(last, temperature, topK, rng);
      out.push(token);
      ({ logits, state } = this.forward(null, [token], 1, 1, state));
      last = Array.from(logits.data);
    }
    return prime + this.decode(out);
  }
}

/** Sample an index from softmax(logits / temperature), among the topK largest only. */
export function pick(logits: number[], temperature: number, topK: number, rng: Rng): number {
  const order = logits.map((_, q) => q).sort((a, b) => logits[b] - logits[a] || a - b).slice(0, topK);
  const max = logits[order[0]];
  const weights = order.map((q) => Math.exp((logits[q] - max) / temperature));
  let u = rng.uniform() * weights.reduce((a, b) => a + b, 0);
  for (let q = 0; q < order.length; q++) {
    u -= weights[q];
    if (u < 0) return order[q];
  }
  return order[order.length - 1];
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

  constructor(readonly tokens: ArrayLike<number>, readonly B: number) {
    this.rowLength = Math.floor(tokens.length / B);
    if (!Number.isInteger(B) || B < 1 || this.rowLength < 2) throw new Error(`TokenStreams: ${tokens.length} tokens cannot make ${B} rows of at least 2`);
  }

  next(T: number): { tokens: number[]; reset: boolean } {
    if (T + 1 > this.rowLength) throw new Error(`TokenStreams: a chunk of ${T} steps needs rows of ${T + 1} tokens, they hold ${this.rowLength}`);
    let reset = false;
    if (this.position + T + 1 > this.rowLength) {
      this.position = 0;
      reset = true;
    }
    const out: number[] = new Array((T + 1) * this.B);
    for (let t = 0; t <= T; t++) for (let b = 0; b < this.B; b++) out[t * this.B + b] = this.tokens[b * this.rowLength + this.position + t];
    this.position += T;
    return { tokens: out, reset };
  }
}
