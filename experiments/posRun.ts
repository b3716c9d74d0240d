// Part-of-speech tagging of the Brown corpus: many-to-many on real text, scored by token
// accuracy against the most-frequent-tag baseline.
import type { Module } from '../cells/index.js';
import { withScope } from '../core/index.js';
import { buildPosVocabulary, PosTagger, tagAccuracy, type PosVocabulary } from '../models/index.js';
import { mostFrequentTagAccuracy, type BrownSplits } from '../data/index.js';
import type { Metric, StepReport, Trainer } from '../train/index.js';
import type { EncodedSentence } from '../models/posTagger.js';
import { BatchOrder, corpus, lengthBatches, SentenceRun } from './brownRun.js';
import { cellChoice, type RunSettings } from './settings.js';
import { trainerFor } from './runBase.js';

export class PosRun extends SentenceRun {
  readonly tagger: PosTagger;

  get module(): Module {
    return this.tagger;
  }
  readonly trainer: Trainer;
  readonly title: string;
  readonly metric: Metric;
  protected readonly batchOrder: BatchOrder;
  private readonly encoded: EncodedSentence[];
  private readonly batches: number[][];
  readonly splits: BrownSplits;

  /** vocabulary: the one a saved run was built with (by default, the training split's). */
  constructor(settings: RunSettings, vocabulary?: PosVocabulary) {
    super(settings);
    const tagset = this.settings.tagset ?? 'universal';
    this.splits = corpus(tagset);
    const v = vocabulary ?? buildPosVocabulary(this.splits.train);
    this.tagger = new PosTagger({
      vocabulary: v,
      cell: cellChoice(this.settings),
      hiddenSize: this.settings.hiddenSize,
      numLayers: this.settings.numLayers,
      bidirectional: this.settings.bidirectional,
      seed: this.settings.seed,
    });
    this.trainer = trainerFor(this.settings, this.tagger.store);
    this.encoded = this.splits.train.map((s) => this.tagger.encode(s));
    this.batches = lengthBatches(
      this.encoded.map((s) => s.words.length),
      this.settings.batch,
    );
    this.batchOrder = new BatchOrder(this.batches.length, this.dataRng);
    this.title = `pos: part-of-speech tagging of the Brown corpus, ${tagset} tags (${v.tags.length})`;
    this.metric = { name: 'accuracy', baseline: mostFrequentTagAccuracy(this.splits), higherIsBetter: true };
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
    let loss = 0,
      tokens = 0;
    for (const ids of lengthBatches(
      dev.map((s) => s.words.length),
      64,
    )) {
      const b = this.tagger.batch(ids.map((q) => this.tagger.encode(dev[q])));
      const n = b.mask.reduce((x, y) => x + y, 0);
      loss += withScope(() => this.tagger.loss(null, b).item()) * n;
      tokens += n;
    }
    return { loss: loss / tokens, value: tagAccuracy(this.tagger, dev) };
  }

  test(): number {
    return tagAccuracy(this.tagger, this.splits.test);
  }

  protected override modelConfig(): unknown {
    return { vocabulary: this.tagger.vocabulary };
  }
}
