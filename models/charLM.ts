// A character-level language model, the one-to-many generator of the textbooks
// (Karpathy's char-rnn): the token model of tokenLM.ts over the characters of an alphabet,
// sampled with a temperature, top-k and a priming text, reproducibly for a given seed.
import { ArgumentError, alloc, carry, dispose, Rng, withScope, type Buf, type DType } from '../core/index.js';
import type { RecurrentState } from '../train/bptt.js';
import { traceCellValues, type LayerOptions } from '../cells/index.js';
import { TokenLM } from './tokenLM.js';

export { TokenStreams } from './tokenLM.js';

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

export class CharLM extends TokenLM {
  readonly alphabet: string;
  private readonly index: Map<string, number>;

  constructor(readonly options: CharLMOptions) {
    const chars = [...options.alphabet];
    if (chars.length < 2 || new Set(chars).size !== chars.length)
      throw new ArgumentError('CharLM', 'alphabet', 'at least two distinct characters', options.alphabet);
    super(chars.length, options, 32);
    this.alphabet = options.alphabet;
    this.index = new Map(chars.map((ch, q) => [ch, q]));
  }

  /** The sorted set of characters of a text: an alphabet for it. */
  static alphabetOf(text: string): string {
    return [...new Set(text)].sort().join('');
  }

  /** The tokens of a text, one per character (an Int32Array: the Brown text is 4.8 million of them). */
  encode(text: string): Int32Array {
    const tokens = alloc('i32', text.length);
    let q = 0;
    for (const ch of text) {
      const token = this.index.get(ch);
      if (token === undefined)
        throw new ArgumentError(
          'CharLM.encode',
          `character ${JSON.stringify(ch)} at ${q}`,
          'in the alphabet',
          'a character not in it',
          true,
        );
      tokens[q++] = token;
    }
    return q === tokens.length ? tokens : tokens.slice(0, q);
  }

  decode(tokens: ArrayLike<number>): string {
    return Array.from(tokens, (t) => [...this.alphabet][t]).join('');
  }

  /**
   * Mean cross-entropy in nats per character of a text (no tape), read as `streams` parallel
   * rows (the text cut into equal parts, the remainder dropped), `chunk` steps at a time.
   */
  evaluate(text: string, chunk = 200, streams = 1): number {
    return this.evaluateTokens(this.encode(text), chunk, streams);
  }

  /**
   * Read a text one character at a time through the first layer's cell (the unfused step),
   * recording for every character each term of the cell's equations (Cell.stepTerms: h, and
   * c, f, i, g, o for an LSTM, r, z, n for a GRU): [characters][H] each. For the pictures
   * of cell activations, gate saturation and the equations with numbers.
   */
  trace(text: string): Record<string, Buf[]> {
    const tokens = this.encode(text);
    const T = tokens.length,
      kept: Record<string, Buf> = {};
    // Step by step, each step's tensors freed once its terms are copied out, into one block per
    // term (the caller's): a row of it per character.
    withScope(() =>
      traceCellValues(this.rnn.cells[0][0], this.embedding.forward(null, tokens, [T, 1]), (t, terms) => {
        for (const [name, values] of Object.entries(terms)) {
          kept[name] ??= new (values.constructor as new (n: number) => Buf)(T * values.length);
          kept[name].set(values, t * values.length);
        }
      }),
    );
    return Object.fromEntries(
      Object.entries(kept).map(([name, block]) => {
        const H = block.length / T;
        return [name, Array.from({ length: T }, (_, t) => block.subarray(t * H, (t + 1) * H))];
      }),
    );
  }

  /**
   * Generate `length` characters after the prime; the same seed gives the same text.
   * Temperature 0 is greedy decoding: always the likeliest character. Each character's pass
   * runs in its own allocation scope, the state carried to the next, so that a long sample
   * holds one step's memory at a time.
   */
  sample(options: SampleOptions): string {
    const { length, temperature = 1, topK = this.vocab } = options;
    if (!Number.isInteger(length) || length < 0)
      throw new ArgumentError('CharLM.sample', 'length', 'a whole number', length);
    if (!(temperature >= 0 && Number.isFinite(temperature)))
      throw new ArgumentError(
        'CharLM.sample',
        'temperature',
        'a number ≥ 0 (0: always the likeliest character)',
        temperature,
      );
    if (!Number.isInteger(topK) || topK < 1)
      throw new ArgumentError('CharLM.sample', 'topK', 'a positive integer', topK);
    const rng = new Rng(options.seed ?? 0);
    const prime = options.prime ?? [...this.alphabet][rng.int(this.vocab)];
    if (prime.length === 0)
      throw new ArgumentError('CharLM.sample', 'prime', 'a text of at least one character', prime);
    let state: RecurrentState | null = null,
      last: number[] = [];
    const read = (tokens: ArrayLike<number>) => {
      state = carry(
        state,
        withScope(() => {
          const r = this.forward(null, tokens, tokens.length, 1, state);
          last = Array.from(r.logits.data.subarray((tokens.length - 1) * this.vocab));
          return r.state;
        }),
      );
    };
    read(this.encode(prime));
    const out: number[] = [];
    for (let k = 0; k < length; k++) {
      const token = pick(last, temperature, topK, rng);
      out.push(token);
      read([token]);
    }
    dispose(state);
    return prime + this.decode(out);
  }
}

/**
 * Sample an index from softmax(logits / temperature), among the topK largest only; at
 * temperature 0, the largest (the first of equals).
 */
export function pick(logits: number[], temperature: number, topK: number, rng: Rng): number {
  const order = logits
    .map((_, q) => q)
    .sort((a, b) => logits[b] - logits[a] || a - b)
    .slice(0, topK);
  if (temperature === 0) return order[0];
  const max = logits[order[0]];
  const weights = order.map((q) => Math.exp((logits[q] - max) / temperature));
  let u = rng.uniform() * weights.reduce((a, b) => a + b, 0);
  for (let q = 0; q < order.length; q++) {
    u -= weights[q];
    if (u < 0) return order[q];
  }
  return order[order.length - 1];
}
