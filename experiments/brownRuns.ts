// The Brown corpus tasks as training runs (see loop.ts): part-of-speech tagging, genre
// classification of sentences, and a character-level language model of the raw text.
import { ops, Rng } from '../core/index.js';
import type { CellKind } from '../cells/index.js';
import { loadCheckpoint, readCheckpointInfo, saveCheckpoint } from '../train/checkpoint.js';
import { CharLM, TokenStreams } from '../models/charLM.js';
import { brownCategories, loadBrown, type BrownSplits, type Sentence, type Tagset } from '../data/brown.js';
import type { Trainable } from '../train/loop.js';
import { makeOptimizer, type OptimizerName } from '../train/optimizers.js';
import { buildPosVocabulary, PosTagger, tagAccuracy, type EncodedSentence } from '../models/posTagger.js';
import { SequenceModel } from '../models/sequenceModel.js';
import type { Metric } from '../train/loop.js';
import { Trainer, type StepReport } from '../train/trainer.js';
import type { RecurrentState } from '../train/bptt.js';

export interface BrownConfig {
  task: 'pos' | 'genre' | 'chars';
  tagset: Tagset;
  cell: CellKind;
  hidden: number;
  layers: number;
  bidirectional: boolean;
  batch: number;
  lr: number;
  optimizer: OptimizerName;
  clip: number;
  seed: number;
}

export const brownDefaults: Record<BrownConfig['task'], Omit<BrownConfig, 'task'> & { steps: number; minutes: number; evalEvery: number }> = {
  pos: { tagset: 'universal', cell: 'lstm', hidden: 64, layers: 1, bidirectional: true, batch: 32, lr: 0.005, optimizer: 'adam', clip: 5, seed: 1, steps: 1200, minutes: 0, evalEvery: 400 },
  genre: { tagset: 'brown', cell: 'lstm', hidden: 64, layers: 1, bidirectional: false, batch: 32, lr: 0.003, optimizer: 'adam', clip: 5, seed: 1, steps: 1500, minutes: 0, evalEvery: 500 },
  chars: { tagset: 'brown', cell: 'lstm', hidden: 64, layers: 1, bidirectional: false, batch: 32, lr: 0.01, optimizer: 'adam', clip: 5, seed: 1, steps: Infinity, minutes: 1, evalEvery: 25 },
};

let cached: { tagset: Tagset; splits: BrownSplits } | null = null;
function corpus(tagset: Tagset): BrownSplits {
  if (cached?.tagset !== tagset) cached = { tagset, splits: loadBrown(tagset) };
  return cached.splits;
}

/** Sentence indices in batches of similar length, so that little of a batch is padding. */
function lengthBatches(lengths: readonly number[], size: number): number[][] {
  const order = lengths.map((_, q) => q).sort((a, b) => lengths[a] - lengths[b] || a - b);
  const batches: number[][] = [];
  for (let q = 0; q < order.length; q += size) batches.push(order.slice(q, q + size));
  return batches;
}

/** Batches in a seeded order, reshuffled each epoch; its position is saved with a checkpoint. */
class BatchOrder {
  order: number[] = [];
  cursor = 0;
  constructor(readonly count: number, readonly rng: Rng) {}
  next(): number {
    if (this.cursor >= this.order.length) {
      this.order = this.rng.shuffle(Array.from({ length: this.count }, (_, q) => q));
      this.cursor = 0;
    }
    return this.order[this.cursor++];
  }
}

abstract class BrownRun implements Trainable {
  step = 0;
  abstract readonly title: string;
  abstract readonly metric: Metric;
  abstract readonly trainer: Trainer;
  readonly dataRng: Rng;

  constructor(readonly config: BrownConfig) {
    this.dataRng = new Rng(config.seed + 7);
  }

  get examplesPerStep(): number {
    return this.config.batch;
  }

  abstract trainStep(): StepReport;
  abstract evaluate(): { loss: number; value: number };
  /** The metric on the test split, for the final report. */
  abstract test(): number;
  /** What else the checkpoint must hold to rebuild the model (vocabularies, alphabet). */
  protected abstract modelConfig(): unknown;
  protected abstract get order(): BatchOrder | null;

  save(path: string): void {
    const order = this.order;
    saveCheckpoint(path, { store: this.trainer.store, optimizer: this.trainer.optimizer, rngs: { data: this.dataRng } }, this.step, {
      ...this.config, model: this.modelConfig(), order: order === null ? null : { order: order.order, cursor: order.cursor },
    });
  }

  /** Restore the training state saved by `save` into this freshly built run. */
  load(path: string): void {
    const info = loadCheckpoint(path, { store: this.trainer.store, optimizer: this.trainer.optimizer, rngs: { data: this.dataRng } });
    this.step = info.step;
    const saved = (info.config as { order: { order: number[]; cursor: number } | null }).order;
    if (saved !== null && this.order !== null) Object.assign(this.order, saved);
  }
}

export class PosRun extends BrownRun {
  readonly tagger: PosTagger;
  readonly trainer: Trainer;
  readonly title: string;
  readonly metric: Metric;
  private readonly encoded: EncodedSentence[];
  private readonly batches: number[][];
  private readonly batchOrder: BatchOrder;
  private readonly splits: BrownSplits;

  constructor(config: BrownConfig, vocabulary = buildPosVocabulary(corpus(config.tagset).train)) {
    super(config);
    this.splits = corpus(config.tagset);
    this.tagger = new PosTagger({ vocabulary, cell: config.cell, hidden: config.hidden, layers: config.layers, bidirectional: config.bidirectional, seed: config.seed });
    this.trainer = new Trainer({ optimizer: makeOptimizer(config.optimizer, this.tagger.store, { lr: config.lr }), clip: { mode: 'norm', max: config.clip } });
    this.encoded = this.splits.train.map((s) => this.tagger.encode(s));
    this.batches = lengthBatches(this.encoded.map((s) => s.words.length), config.batch);
    this.batchOrder = new BatchOrder(this.batches.length, this.dataRng);
    this.title = `pos: part-of-speech tagging of the Brown corpus, ${config.tagset} tags (${vocabulary.tags.length})`;
    this.metric = { name: 'accuracy', baseline: mostFrequentTagAccuracy(this.splits), higherIsBetter: true };
  }

  protected get order(): BatchOrder {
    return this.batchOrder;
  }

  trainStep(): StepReport {
    const batch = this.tagger.batch(this.batches[this.batchOrder.next()].map((q) => this.encoded[q]));
    const report = this.trainer.step((tape) => this.tagger.loss(tape, batch));
    this.step++;
    return report;
  }

  /** On the first 2,000 dev sentences (the whole dev split takes longer than a check should). */
  evaluate(): { loss: number; value: number } {
    const dev = this.splits.dev.slice(0, 2000);
    let loss = 0, tokens = 0;
    for (const ids of lengthBatches(dev.map((s) => s.words.length), 64)) {
      const b = this.tagger.batch(ids.map((q) => this.tagger.encode(dev[q])));
      const n = b.mask.reduce((x, y) => x + y, 0);
      loss += this.tagger.loss(null, b).item() * n;
      tokens += n;
    }
    return { loss: loss / tokens, value: tagAccuracy(this.tagger, dev) };
  }

  test(): number {
    return tagAccuracy(this.tagger, this.splits.test);
  }

  protected modelConfig(): unknown {
    return { vocabulary: this.tagger.vocabulary };
  }

  /** A tagger saved by a pos run, ready to tag. */
  static loadTagger(path: string): PosTagger {
    const { config } = readCheckpointInfo(path) as { config: BrownConfig & { model: { vocabulary: PosTagger['vocabulary'] } } };
    if (config?.task !== 'pos') throw new Error(`tag: ${path} is not a saved pos model (its task is ${String(config?.task)})`);
    const run = new PosRun(config, config.model.vocabulary);
    loadCheckpoint(path, { store: run.tagger.store });
    return run.tagger;
  }
}

/** Most frequent tag per word (unknown words: the commonest tag overall), on the test split. */
export function mostFrequentTagAccuracy(splits: BrownSplits): number {
  const counts = new Map<string, Map<string, number>>(), overall = new Map<string, number>();
  for (const s of splits.train) s.words.forEach((w, q) => {
    const tag = s.tags[q];
    if (!counts.has(w)) counts.set(w, new Map());
    counts.get(w)!.set(tag, (counts.get(w)!.get(tag) ?? 0) + 1);
    overall.set(tag, (overall.get(tag) ?? 0) + 1);
  });
  const best = (m: Map<string, number>) => [...m].reduce((a, b) => (b[1] > a[1] || (b[1] === a[1] && b[0] < a[0]) ? b : a))[0];
  const commonest = best(overall);
  const guess = new Map([...counts].map(([w, m]) => [w, best(m)]));
  let right = 0, total = 0;
  for (const s of splits.test) s.words.forEach((w, q) => {
    total++;
    if ((guess.get(w) ?? commonest) === s.tags[q]) right++;
  });
  return right / total;
}

export class GenreRun extends BrownRun {
  readonly model: SequenceModel;
  readonly trainer: Trainer;
  readonly title = `genre: the category of a Brown sentence (${Object.keys(brownCategories).length} classes)`;
  readonly metric: Metric;
  readonly words: string[];
  private readonly index: Map<string, number>;
  private readonly batches: number[][];
  private readonly batchOrder: BatchOrder;
  private readonly splits: BrownSplits;
  private readonly categories = Object.keys(brownCategories);

  constructor(config: BrownConfig, words?: string[]) {
    super(config);
    this.splits = corpus('brown');
    this.words = words ?? frequentWords(this.splits.train, 2);
    this.index = new Map(this.words.map((w, q) => [w, q]));
    this.model = new SequenceModel({
      input: { kind: 'tokens', vocab: this.words.length }, outputs: this.categories.length, readout: 'last', embeddingDim: 64,
      layer: { cell: config.cell, hiddenSize: config.hidden, numLayers: config.layers, bidirectional: config.bidirectional, forgetBias: config.cell === 'lstm' ? 1 : undefined },
      seed: config.seed,
    });
    this.trainer = new Trainer({ optimizer: makeOptimizer(config.optimizer, this.model.store, { lr: config.lr }), clip: { mode: 'norm', max: config.clip } });
    this.batches = lengthBatches(this.splits.train.map((s) => s.words.length), config.batch);
    this.batchOrder = new BatchOrder(this.batches.length, this.dataRng);
    const majority = this.majority();
    this.metric = { name: 'accuracy', baseline: this.splits.test.filter((s) => s.category === majority).length / this.splits.test.length, higherIsBetter: true };
  }

  protected get order(): BatchOrder {
    return this.batchOrder;
  }

  /** The commonest category among the training sentences. */
  majority(): string {
    const counts = new Map<string, number>();
    for (const s of this.splits.train) counts.set(s.category, (counts.get(s.category) ?? 0) + 1);
    return [...counts].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  }

  private batchOf(sentences: readonly Sentence[]) {
    const B = sentences.length, T = Math.max(...sentences.map((s) => s.words.length));
    const tokens = new Array<number>(T * B).fill(0);
    sentences.forEach((s, b) => s.words.forEach((w, t) => (tokens[t * B + b] = this.index.get(w.toLowerCase()) ?? 0)));
    return { T, B, tokens, lengths: sentences.map((s) => s.words.length), targets: sentences.map((s) => this.categories.indexOf(s.category)) };
  }

  trainStep(): StepReport {
    const batch = this.batchOf(this.batches[this.batchOrder.next()].map((q) => this.splits.train[q]));
    const report = this.trainer.step((tape) => ops.softmaxCrossEntropy(tape, this.model.forward(tape, batch), batch.targets));
    this.step++;
    return report;
  }

  private score(sentences: readonly Sentence[]): { loss: number; value: number } {
    let loss = 0, right = 0;
    for (const ids of lengthBatches(sentences.map((s) => s.words.length), 64)) {
      const b = this.batchOf(ids.map((q) => sentences[q]));
      const logits = this.model.forward(null, b);
      loss += ops.softmaxCrossEntropy(null, logits, b.targets, { reduction: 'sum' }).item();
      const C = this.categories.length;
      b.targets.forEach((target, r) => {
        let best = 0;
        for (let c = 1; c < C; c++) if (logits.data[r * C + c] > logits.data[r * C + best]) best = c;
        if (best === target) right++;
      });
    }
    return { loss: loss / sentences.length, value: right / sentences.length };
  }

  evaluate(): { loss: number; value: number } {
    return this.score(this.splits.dev);
  }

  test(): number {
    return this.score(this.splits.test).value;
  }

  protected modelConfig(): unknown {
    return { words: this.words };
  }
}

function frequentWords(train: readonly Sentence[], minCount: number): string[] {
  const counts = new Map<string, number>();
  for (const s of train) for (const w of s.words) counts.set(w.toLowerCase(), (counts.get(w.toLowerCase()) ?? 0) + 1);
  return ['<unk>', ...[...counts].filter(([, c]) => c >= minCount).map(([w]) => w).sort()];
}

/** The raw text of sentences: words joined by spaces, one sentence per line. */
export function rawText(sentences: readonly Sentence[]): string {
  return sentences.map((s) => s.words.join(' ')).join('\n') + '\n';
}

export class CharsRun extends BrownRun {
  readonly lm: CharLM;
  readonly trainer: Trainer;
  readonly title = 'chars: a character-level language model of the Brown corpus text';
  readonly metric: Metric;
  readonly devText: string;
  readonly testText: string;
  readonly chunk = 64;
  private readonly streams: TokenStreams;
  private state: RecurrentState | null = null;

  constructor(config: BrownConfig, alphabet?: string) {
    super(config);
    const splits = corpus('brown');
    const train = rawText(splits.train);
    this.lm = new CharLM({ alphabet: alphabet ?? CharLM.alphabetOf(train), layer: { cell: config.cell, hiddenSize: config.hidden, numLayers: config.layers, forgetBias: config.cell === 'lstm' ? 1 : undefined }, seed: config.seed });
    this.trainer = new Trainer({ optimizer: makeOptimizer(config.optimizer, this.lm.store, { lr: config.lr }), clip: { mode: 'norm', max: config.clip } });
    this.streams = new TokenStreams(this.lm.encode(train), config.batch);
    this.devText = this.known(rawText(splits.dev)).slice(0, 8_000);
    this.testText = this.known(rawText(splits.test)).slice(0, 40_000);
    this.metric = { name: 'bpc', baseline: unigramBits(train, this.testText), higherIsBetter: false };
  }

  protected get order(): null {
    return null;
  }

  /** The text without characters the alphabet lacks (a handful in dev and test). */
  known(text: string): string {
    const alphabet = new Set(this.lm.alphabet);
    return [...text].filter((ch) => alphabet.has(ch)).join('');
  }

  trainStep(): StepReport {
    const { tokens, reset } = this.streams.next(this.chunk);
    if (reset) this.state = null;
    const report = this.trainer.stepWith(() => {
      const r = this.lm.chunkGradients(tokens, this.chunk, this.config.batch, this.state);
      this.state = r.state;
      return r.loss;
    });
    this.step++;
    return report;
  }

  /** Nats and bits per character on 8,000 characters of dev text (quick enough to check every 25 steps). */
  evaluate(): { loss: number; value: number } {
    const nats = this.lm.evaluate(this.devText, 200, 16);
    return { loss: nats, value: nats / Math.LN2 };
  }

  /** Bits per character on the first 40,000 characters of test text (the baseline's text too). */
  test(): number {
    return this.lm.evaluate(this.testText, 200, 16) / Math.LN2;
  }

  protected modelConfig(): unknown {
    return { alphabet: this.lm.alphabet };
  }

  /** A language model saved by a chars run. */
  static loadModel(path: string): CharLM {
    const { config } = readCheckpointInfo(path) as { config: BrownConfig & { model: { alphabet: string } } };
    if (config?.task !== 'chars') throw new Error(`sample: ${path} is not a saved chars model (its task is ${String(config?.task)})`);
    const lm = new CharLM({ alphabet: config.model.alphabet, layer: { cell: config.cell, hiddenSize: config.hidden, numLayers: config.layers }, seed: config.seed });
    loadCheckpoint(path, { store: lm.store });
    return lm;
  }
}

/** Cross-entropy in bits of `text` under the character frequencies of `train`. */
export function unigramBits(train: string, text: string): number {
  const counts = new Map<string, number>();
  for (const ch of train) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const ch of text) bits -= Math.log2(counts.get(ch)! / train.length);
  return bits / text.length;
}

