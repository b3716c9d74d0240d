// `rnnlab train --task spell`: the one-to-many model (models/oneToMany.ts) learns to spell
// numbers 0 … 999 in English words from their digits (tasks/spell.ts), and is scored on the
// numbers held out from training by exact match, against the input-blind baseline (the
// commonest word at each position: exact match 0, a word right in place 29% of the time).
import type { Module } from '../cells/index.js';
import { Rng } from '../core/index.js';
import { decodedAccuracy, OneToMany } from '../models/index.js';
import { SPELL_INPUT, spellBatch, spellMajority, spellSplit, spellWords, type SpellBatch } from '../tasks/index.js';
import type { Metric, StepReport, Trainer } from '../train/index.js';
import { RunBase, trainerFor } from './runBase.js';
import { cellChoice, type RunSettings } from './settings.js';

/** The split is fixed (seed 1), whatever the run's seed: every run is tested on the same 200 numbers. */
const SPLIT_SEED = 1;

export class SpellRun extends RunBase {
  readonly title = "spell: a number's English words from its digits (one-to-many)";
  readonly model: OneToMany;

  get module(): Module {
    return this.model;
  }
  readonly trainer: Trainer;
  readonly metric: Metric;
  readonly train: number[];
  /** The held-out numbers, and their batch. */
  readonly testNumbers: number[];
  readonly testBatch: SpellBatch;
  /** Draws the training numbers. */
  readonly dataRng: Rng;

  constructor(settings: RunSettings) {
    super(settings);
    const split = spellSplit(SPLIT_SEED);
    this.train = split.train;
    this.testNumbers = split.test;
    this.testBatch = spellBatch(split.test);
    this.model = new OneToMany({
      inputSize: SPELL_INPUT,
      targetVocab: spellWords.length,
      layer: { ...cellChoice(this.settings), hiddenSize: this.settings.hiddenSize, numLayers: this.settings.numLayers },
      seed: this.settings.seed,
    });
    this.trainer = trainerFor(this.settings, this.model.store);
    this.dataRng = new Rng(this.settings.seed);
    const majority = spellMajority(this.train);
    this.metric = {
      name: 'accuracy',
      baseline: decodedAccuracy(
        split.test.map(() => majority),
        this.testBatch,
      ).sequences,
      higherIsBetter: true,
    };
  }

  protected rngs(): Record<string, Rng> {
    return { data: this.dataRng };
  }

  trainStep(): StepReport {
    const batch = spellBatch(
      Array.from({ length: this.settings.batch }, () => this.train[this.dataRng.int(this.train.length)]),
    );
    const report = this.trainer.step((tape) => this.model.loss(tape, batch));
    this.step++;
    return report;
  }

  /** Exact match and the share of words right in place, greedy decoding of the held-out numbers. */
  accuracy(): { sequences: number; symbols: number } {
    const b = this.testBatch;
    return decodedAccuracy(this.model.generate(b.inputs, b.B, b.U + 2), b);
  }

  /** evaluate() measures the held-out numbers, the test set (the task has no dev split). */
  override get heldOut(): 'test' {
    return 'test';
  }

  /** The teacher-forced loss and the exact-match accuracy on the held-out numbers. */
  evaluate(): { loss: number; value: number } {
    return { loss: this.model.loss(null, this.testBatch).item(), value: this.accuracy().sequences };
  }

  test(): number {
    return this.accuracy().sequences;
  }
}
