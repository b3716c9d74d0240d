// The Brown text as a stream of word tokens, for the word-level language model: lowercased
// words, each sentence followed by </s>; a vocabulary of the most frequent words, the rest
// <unk>; and the add-k bigram model a recurrent model must beat.
import type { Sentence } from './sentence.js';

export const END = '</s>';
export const UNKNOWN = '<unk>';

/** </s>, <unk>, then the `size` − 2 commonest words of the training sentences (ties alphabetical). */
export function wordVocabulary(train: readonly Sentence[], size: number): string[] {
  if (!Number.isInteger(size) || size < 3) throw new Error(`wordVocabulary: size must be an integer ≥ 3, got ${size}`);
  const counts = new Map<string, number>();
  for (const s of train) for (const w of s.words) counts.set(w.toLowerCase(), (counts.get(w.toLowerCase()) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
  return [END, UNKNOWN, ...ranked.slice(0, size - 2)];
}

/** Token ids of the sentences, each followed by </s>; words outside the vocabulary are <unk>. */
export function wordTokens(sentences: readonly Sentence[], vocabulary: readonly string[]): Int32Array {
  const index = new Map(vocabulary.map((w, q) => [w, q]));
  const unknown = index.get(UNKNOWN)!,
    end = index.get(END)!;
  const out = new Int32Array(sentences.reduce((n, s) => n + s.words.length + 1, 0));
  let at = 0;
  for (const s of sentences) {
    for (const w of s.words) out[at++] = index.get(w.toLowerCase()) ?? unknown;
    out[at++] = end;
  }
  return out;
}

/** The add-k bigram model: P(w | v) = (c(v, w) + k) / (c(v) + k·V), counted on training tokens. */
export class BigramModel {
  /** Counts of the pairs (v, w), keyed v·V + w, and of each v as the first of a pair. */
  private constructor(
    private readonly pairs: Map<number, number>,
    private readonly firsts: Float64Array,
    readonly vocab: number,
    readonly k: number,
  ) {}

  /** Count the training tokens' bigrams once. */
  static count(train: ArrayLike<number>, vocab: number, k: number): BigramModel {
    const pairs = new Map<number, number>(),
      firsts = new Float64Array(vocab);
    for (let q = 0; q + 1 < train.length; q++) {
      const key = train[q] * vocab + train[q + 1];
      pairs.set(key, (pairs.get(key) ?? 0) + 1);
      firsts[train[q]]++;
    }
    return new BigramModel(pairs, firsts, vocab, k);
  }

  /** The same counts smoothed with another k. */
  withK(k: number): BigramModel {
    return new BigramModel(this.pairs, this.firsts, this.vocab, k);
  }

  /** Mean negative log-likelihood in nats per token of the tokens after the first. */
  nats(tokens: ArrayLike<number>): number {
    let total = 0;
    for (let q = 0; q + 1 < tokens.length; q++) {
      const pair = this.pairs.get(tokens[q] * this.vocab + tokens[q + 1]) ?? 0;
      total -= Math.log((pair + this.k) / (this.firsts[tokens[q]] + this.k * this.vocab));
    }
    return total / (tokens.length - 1);
  }
}

/** The add-k bigram model with k chosen on held-out tokens among 1, 0.3, 0.1, … 0.0001 (the counts made once). */
export function tunedBigram(train: ArrayLike<number>, dev: ArrayLike<number>, vocab: number): BigramModel {
  const counted = BigramModel.count(train, vocab, 1);
  const scored = [1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001, 0.0003, 0.0001].map((k) => {
    const model = counted.withK(k);
    return { model, nats: model.nats(dev) };
  });
  return scored.reduce((best, s) => (s.nats < best.nats ? s : best)).model;
}
