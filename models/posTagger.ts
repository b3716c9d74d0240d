// Part-of-speech tagging, many-to-many on real text: a bidirectional LSTM (by default) over each sentence
// reads, for every word, a word embedding (lower-cased words seen twice in training; the
// rest share UNK) beside a character-level representation (the sum of embeddings of its
// prefixes of 1–2 and suffixes of 1–3 characters, which is what lets it tag words it has
// never seen) and a small word-shape embedding (capitalised, digits, hyphen, ...), and
// predicts a tag per word with a softmax.
import { alloc, argmaxRows, ops, ParamStore, Rng, Tensor, withScope, type Tape } from '../core/index.js';
import {
  defaultForgetBias,
  Embedding,
  Linear,
  RecurrentLayer,
  type CellChoice,
  type CellKind,
  type StateModule,
} from '../cells/index.js';
import { Model } from './model.js';
import type { Sentence } from '../data/brown.js';

const AFFIXES = ['p1', 'p2', 's1', 's2', 's3'] as const;

/** A word's shape: which characters it is made of, in a handful of classes. */
export function wordShape(word: string): number {
  if (/^\d[\d.,:/-]*$/.test(word)) return 1;
  if (/\d/.test(word)) return 2;
  if (!/[A-Za-z]/.test(word)) return 3;
  if (/-/.test(word)) return /^[A-Z]/.test(word) ? 4 : 5;
  if (/^[A-Z]+$/.test(word) && word.length > 1) return 6;
  if (/^[A-Z]/.test(word)) return 7;
  return /[A-Z]/.test(word) ? 8 : 0;
}
const SHAPES = 9;

function affixes(lower: string): string[] {
  return AFFIXES.map((a) => {
    const n = Number(a[1]);
    return lower.length < n ? '' : `${a}:${a[0] === 'p' ? lower.slice(0, n) : lower.slice(-n)}`;
  });
}

export interface PosVocabulary {
  words: string[];
  affixes: string[];
  tags: string[];
}

/** The vocabularies of a training set: words and affixes seen at least twice (index 0 is UNK), and the tags. */
export function buildPosVocabulary(train: readonly Sentence[], minCount = 2): PosVocabulary {
  const words = new Map<string, number>(),
    affix = new Map<string, number>(),
    tags = new Set<string>();
  for (const s of train) {
    s.words.forEach((w, q) => {
      const lower = w.toLowerCase();
      words.set(lower, (words.get(lower) ?? 0) + 1);
      for (const a of affixes(lower)) if (a !== '') affix.set(a, (affix.get(a) ?? 0) + 1);
      tags.add(s.tags[q]);
    });
  }
  const frequent = (m: Map<string, number>) => [
    '<unk>',
    ...[...m]
      .filter(([, c]) => c >= minCount)
      .map(([k]) => k)
      .sort(),
  ];
  return { words: frequent(words), affixes: frequent(affix), tags: [...tags].sort() };
}

/** A sentence as ids: word [n], affixes [n·5], shape [n], tags [n] (−1 for a tag unseen in training). */
export interface EncodedSentence {
  words: Int32Array;
  affixes: Int32Array;
  shapes: Int32Array;
  tags: Int32Array;
}

export interface PosTaggerOptions {
  vocabulary: PosVocabulary;
  /** The cell: a kind, or a kind with its own options (default 'lstm', forget bias 1). */
  cell?: CellKind | CellChoice;
  hiddenSize?: number;
  numLayers?: number;
  /** Read each sentence in both directions (default true), or as one RNN over [x_t, x_{T+1−t}] ('concatenated'). */
  bidirectional?: boolean | 'concatenated';
  wordDim?: number;
  affixDim?: number;
  dropout?: number;
  seed?: number;
}

export interface PosBatch {
  T: number;
  B: number;
  words: number[];
  affixes: number[][];
  shapes: number[];
  lengths: number[];
  targets: number[];
  mask: number[];
}

/** The default widths of a word's three features (its embedding, its affixes', its shape's): the layer reads their concatenation. */
export const POS_WORD_DIM = 64,
  POS_AFFIX_DIM = 32,
  SHAPE_DIM = 8;

export class PosTagger extends Model {
  readonly store: ParamStore = new ParamStore('f32');
  readonly vocabulary: PosVocabulary;
  readonly wordEmbedding: Embedding;
  readonly affixEmbedding: Embedding;
  readonly shapeEmbedding: Embedding;
  readonly rnn: RecurrentLayer;
  readonly head: Linear;
  readonly options: Required<Omit<PosTaggerOptions, 'vocabulary'>>;
  private readonly wordIndex: Map<string, number>;
  private readonly affixIndex: Map<string, number>;
  private readonly tagIndex: Map<string, number>;

  constructor(options: PosTaggerOptions) {
    super();
    this.vocabulary = options.vocabulary;
    this.options = {
      cell: options.cell ?? 'lstm',
      hiddenSize: options.hiddenSize ?? 64,
      numLayers: options.numLayers ?? 1,
      bidirectional: options.bidirectional ?? true,
      wordDim: options.wordDim ?? POS_WORD_DIM,
      affixDim: options.affixDim ?? POS_AFFIX_DIM,
      dropout: options.dropout ?? 0,
      seed: options.seed ?? 1,
    };
    const o = this.options,
      v = this.vocabulary;
    const rng = new Rng(o.seed);
    this.wordIndex = new Map(v.words.map((w, q) => [w, q]));
    this.affixIndex = new Map(v.affixes.map((a, q) => [a, q]));
    this.tagIndex = new Map(v.tags.map((t, q) => [t, q]));
    this.wordEmbedding = new Embedding(this.store, 'word', v.words.length, o.wordDim);
    this.affixEmbedding = new Embedding(this.store, 'affix', v.affixes.length, o.affixDim);
    this.shapeEmbedding = new Embedding(this.store, 'shape', SHAPES, SHAPE_DIM);
    this.rnn = new RecurrentLayer({
      ...(typeof o.cell === 'string' ? { cell: o.cell, forgetBias: defaultForgetBias(o.cell) } : o.cell),
      inputSize: o.wordDim + o.affixDim + SHAPE_DIM,
      hiddenSize: o.hiddenSize,
      numLayers: o.numLayers,
      bidirectional: o.bidirectional,
      dropout: o.dropout,
      store: this.store,
      name: 'rnn',
    });
    this.head = new Linear(this.store, 'head', this.rnn.layerOutputSize(), v.tags.length);
    this.store.allocate();
    for (const e of [this.wordEmbedding, this.affixEmbedding, this.shapeEmbedding]) {
      e.initialize(rng);
      // Small starting vectors: the sum of five affix embeddings should not swamp the word's.
      for (let q = 0; q < e.E.size; q++) e.E.data[q] *= 0.1;
    }
    this.rnn.initialize(new Rng(rng.int(2 ** 31)));
    this.head.initialize(rng);
  }

  protected parts(): [string, StateModule | null][] {
    return [
      ['word', this.wordEmbedding],
      ['affix', this.affixEmbedding],
      ['shape', this.shapeEmbedding],
      ['rnn', this.rnn],
      ['head', this.head],
    ];
  }

  encode(s: { words: readonly string[]; tags?: readonly string[] }): EncodedSentence {
    const n = s.words.length;
    const out: EncodedSentence = {
      words: alloc('i32', n),
      affixes: alloc('i32', n * AFFIXES.length),
      shapes: alloc('i32', n),
      tags: alloc('i32', n),
    };
    s.words.forEach((w, q) => {
      const lower = w.toLowerCase();
      out.words[q] = this.wordIndex.get(lower) ?? 0;
      affixes(lower).forEach((a, k) => (out.affixes[q * AFFIXES.length + k] = this.affixIndex.get(a) ?? 0));
      out.shapes[q] = wordShape(w);
      out.tags[q] = s.tags === undefined ? -1 : (this.tagIndex.get(s.tags[q]) ?? -1);
    });
    return out;
  }

  /** Sentences padded into one time-major batch. */
  batch(sentences: readonly EncodedSentence[]): PosBatch {
    const B = sentences.length,
      T = Math.max(...sentences.map((s) => s.words.length));
    const words = new Array<number>(T * B).fill(0),
      shapes = new Array<number>(T * B).fill(0);
    const affix = AFFIXES.map(() => new Array<number>(T * B).fill(0));
    const targets = new Array<number>(T * B).fill(0),
      mask = new Array<number>(T * B).fill(0);
    sentences.forEach((s, b) => {
      for (let t = 0; t < s.words.length; t++) {
        const at = t * B + b;
        words[at] = s.words[t];
        shapes[at] = s.shapes[t];
        for (let k = 0; k < AFFIXES.length; k++) affix[k][at] = s.affixes[t * AFFIXES.length + k];
        if (s.tags[t] >= 0) {
          targets[at] = s.tags[t];
          mask[at] = 1;
        }
      }
    });
    return { T, B, words, affixes: affix, shapes, lengths: sentences.map((s) => s.words.length), targets, mask };
  }

  /** Tag logits [T, B, tags]. */
  forward(tape: Tape | null, b: PosBatch, training = false, rng?: Rng): Tensor {
    const shape = [b.T, b.B];
    let chars = this.affixEmbedding.forward(tape, b.affixes[0], shape);
    for (let k = 1; k < AFFIXES.length; k++)
      chars = ops.add(tape, chars, this.affixEmbedding.forward(tape, b.affixes[k], shape));
    const x = ops.concat(tape, [
      this.wordEmbedding.forward(tape, b.words, shape),
      chars,
      this.shapeEmbedding.forward(tape, b.shapes, shape),
    ]);
    const y = this.rnn.forward(tape, x, { lengths: b.lengths, training, rng }).y;
    return this.head.forward(tape, y);
  }

  loss(tape: Tape | null, b: PosBatch, training = false, rng?: Rng): Tensor {
    return ops.softmaxCrossEntropy(tape, this.forward(tape, b, training, rng), b.targets, { mask: b.mask });
  }

  /** The likeliest tag of every word. */
  tag(sentences: readonly (readonly string[])[], batchSize = 64): string[][] {
    const out: string[][] = [];
    for (let at = 0; at < sentences.length; at += batchSize) {
      const chunk = sentences.slice(at, at + batchSize).map((words) => this.encode({ words }));
      const b = this.batch(chunk);
      const best = withScope(() => argmaxRows(this.forward(null, b)));
      chunk.forEach((s, q) => {
        out.push(Array.from(s.words, (_, t) => this.vocabulary.tags[best[t * b.B + q]]));
      });
    }
    return out;
  }
}

/** Token accuracy of the tagger on sentences with gold tags. */
export function tagAccuracy(tagger: PosTagger, sentences: readonly Sentence[]): number {
  const predicted = tagger.tag(sentences.map((s) => s.words));
  let right = 0,
    total = 0;
  sentences.forEach((s, q) =>
    s.tags.forEach((tag, t) => {
      total++;
      if (predicted[q][t] === tag) right++;
    }),
  );
  return right / total;
}
