// A word-level recurrent language model (Mikolov et al. 2010; the word vectors of Mikolov,
// Yih & Zweig 2013): the token model of tokenLM.ts over a vocabulary of words. With the
// Elman cell and the sigmoid, as in the paper,
//
//   s(t) = σ(U·w(t) + W·s(t−1)),   y(t) = softmax(V·s(t))
//
// where w(t) is one-hot. Here U·w(t) is the word's embedding row times the cell's input
// weights, E[w]·W_x, so the paper's word vector, U's column for w, is that product.
import { ArgumentError, ops, Tensor, type Buf, type DType } from '../core/index.js';
import type { LayerOptions, RnnCell } from '../cells/index.js';
import { TokenLM } from './tokenLM.js';

export interface WordLMOptions {
  /** The words the model knows, in token order (with </s> and <unk> among them). */
  words: readonly string[];
  layer: Omit<LayerOptions, 'inputSize' | 'store' | 'dtype' | 'name' | 'bidirectional'>;
  embeddingDim?: number;
  dtype?: DType;
  seed?: number;
}

export class WordLM extends TokenLM {
  readonly words: readonly string[];
  private readonly index: Map<string, number>;

  constructor(readonly options: WordLMOptions) {
    if (options.words.length < 2 || new Set(options.words).size !== options.words.length) {
      throw new ArgumentError('WordLM', 'words', 'at least two distinct words', options.words.length);
    }
    super(options.words.length, options, options.layer.hiddenSize);
    this.words = options.words;
    this.index = new Map(options.words.map((w, q) => [w, q]));
  }

  /** The token of a word, or −1 when the model does not know it. */
  tokenOf(word: string): number {
    return this.index.get(word.toLowerCase()) ?? -1;
  }

  /**
   * One vector per word, [vocab · dim] row-major: for an Elman network the paper's U·w, the
   * embedding row times the cell's input weights (dim = H); for another cell the embedding
   * row itself (its gates each read a different projection of it).
   */
  wordVectors(): { data: Buf; dim: number } {
    const E = this.embedding.E,
      D = E.shape[1];
    if (this.rnn.kind !== 'rnn') return { data: E.data.slice(), dim: D };
    const W = (this.rnn.cells[0][0] as RnnCell).params.W,
      H = this.rnn.hiddenSize;
    // W_x is W's first D rows (the rows on x_t).
    const Wx = Tensor.from(W.data.subarray(0, D * H), [D, H], W.dtype);
    return { data: ops.matmul(null, E, Wx).data, dim: H };
  }
}
