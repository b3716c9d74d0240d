// The genre of a Brown sentence: many-to-one classification into the corpus's 15
// categories, scored by accuracy against always answering the commonest one.
import type { Module } from '../cells/index.js';
import { trainerFor } from './runBase.js';
import { argmaxRows, ops, padTimeMajor, withScope } from '../core/index.js';
import { brownCategories, frequentWords, majorityCategory, type BrownSplits, type Sentence } from '../data/index.js';
import { SequenceModel } from '../models/index.js';
import type { Metric, StepReport, Trainer } from '../train/index.js';
import { BatchOrder, corpus, lengthBatches, SentenceRun } from './brownRun.js';
import { cellChoice, type RunSettings } from './settings.js';

export class GenreRun extends SentenceRun {
  readonly model: SequenceModel;

  get module(): Module {
    return this.model;
  }
  readonly trainer: Trainer;
  readonly title = `genre: the category of a Brown sentence (${Object.keys(brownCategories).length} classes)`;
  readonly metric: Metric;
  readonly words: string[];
  protected readonly batchOrder: BatchOrder;
  private readonly index: Map<string, number>;
  private readonly batches: number[][];
  private readonly splits: BrownSplits;
  private readonly categories = Object.keys(brownCategories);

  /** words: the vocabulary a saved run was built with (by default, words seen twice in training). */
  constructor(settings: RunSettings, words?: string[]) {
    super(settings);
    this.splits = corpus('brown');
    this.words = words ?? frequentWords(this.splits.train, 2);
    this.index = new Map(this.words.map((w, q) => [w, q]));
    this.model = new SequenceModel({
      input: { kind: 'tokens', vocab: this.words.length },
      outputs: this.categories.length,
      readout: 'last',
      embeddingDim: 64,
      layer: {
        ...cellChoice(this.settings),
        hiddenSize: this.settings.hiddenSize,
        numLayers: this.settings.numLayers,
        bidirectional: this.settings.bidirectional,
      },
      seed: this.settings.seed,
    });
    this.trainer = trainerFor(this.settings, this.model.store);
    this.batches = lengthBatches(
      this.splits.train.map((s) => s.words.length),
      this.settings.batch,
    );
    this.batchOrder = new BatchOrder(this.batches.length, this.dataRng);
    this.metric = { name: 'accuracy', baseline: majorityCategory(this.splits).testShare, higherIsBetter: true };
  }

  private batchOf(sentences: readonly Sentence[]) {
    const { T, B, values, lengths } = padTimeMajor(
      sentences.map((s) => s.words.map((w) => this.index.get(w.toLowerCase()) ?? 0)),
    );
    return { T, B, tokens: values, lengths, targets: sentences.map((s) => this.categories.indexOf(s.category)) };
  }

  trainStep(): StepReport {
    const batch = this.batchOf(this.batches[this.batchOrder.next()].map((q) => this.splits.train[q]));
    const report = this.trainer.step((tape) =>
      ops.softmaxCrossEntropy(tape, this.model.forward(tape, batch), batch.targets),
    );
    this.step++;
    return report;
  }

  private score(sentences: readonly Sentence[]): { loss: number; value: number } {
    let loss = 0,
      right = 0;
    for (const ids of lengthBatches(
      sentences.map((s) => s.words.length),
      64,
    )) {
      const b = this.batchOf(ids.map((q) => sentences[q]));
      const best = withScope(() => {
        const logits = this.model.forward(null, b);
        loss += ops.softmaxCrossEntropy(null, logits, b.targets, { reduction: 'sum' }).item();
        return argmaxRows(logits);
      });
      b.targets.forEach((target, r) => {
        if (best[r] === target) right++;
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

  protected override modelConfig(): unknown {
    return { words: this.words };
  }
}
