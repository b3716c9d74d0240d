// A training run on one of the memory tasks: the model, the optimizer, the loop over seeded
// batches with full backpropagation through time, evaluations on a fixed test set, and a
// checkpoint that resumes it bit for bit.
import type { Module } from '../cells/index.js';
import { Rng, withScope } from '../core/index.js';
import { initializeLayer, type Metric, type StepReport, type Trainer } from '../train/index.js';
import { makeTask, type Task, type TaskBatch } from '../tasks/index.js';
import { modelForTask, taskLoss, taskMetric } from './taskModel.js';
import { RunBase, trainerFor } from './runBase.js';
import { cellChoice, type RunSettings } from './settings.js';

/** A fixed held-out set of `size` examples drawn from rng, in batches of at most 256. */
export function heldOutBatches(task: Task, rng: Rng, size: number): TaskBatch[] {
  const batches: TaskBatch[] = [];
  for (let left = size; left > 0; left -= 256) batches.push(task.batch(rng, Math.min(256, left)));
  return batches;
}

export class TaskRun extends RunBase {
  readonly task: Task;
  readonly model: ReturnType<typeof modelForTask>;

  get module(): Module {
    return this.model;
  }
  readonly trainer: Trainer;
  /** Draws the training batches. */
  readonly dataRng: Rng;
  /** Draws the dropout masks. */
  readonly dropoutRng: Rng;
  readonly testSet: TaskBatch[];

  constructor(settings: RunSettings) {
    super(settings);
    this.task = makeTask(this.settings.task, this.settings.seqLen);
    this.model = modelForTask(
      this.task,
      {
        ...cellChoice(this.settings),
        hiddenSize: this.settings.hiddenSize,
        numLayers: this.settings.numLayers,
        bidirectional: this.settings.bidirectional,
      },
      { seed: this.settings.seed },
    );
    initializeLayer(this.model.rnn, new Rng(this.settings.seed + 1), {
      forgetBias: cellChoice(this.settings).forgetBias,
    });
    this.trainer = trainerFor(this.settings, this.model.store);
    this.dataRng = new Rng(this.settings.seed);
    this.dropoutRng = new Rng(this.settings.seed + 2);
    const testRng = new Rng(this.settings.seed + 1_000_003);
    this.testSet = heldOutBatches(this.task, testRng, this.settings.testSize ?? 512);
  }

  get title(): string {
    return `${this.task.name}: ${this.task.description}`;
  }

  get metric(): Metric {
    return this.task.metric;
  }

  protected rngs(): Record<string, Rng> {
    return { data: this.dataRng, dropout: this.dropoutRng };
  }

  /** One step on a fresh batch. */
  trainStep(): StepReport {
    const data = this.task.batch(this.dataRng, this.settings.batch);
    const report = this.trainer.step((tape) =>
      taskLoss(tape, this.model, this.task, data, { training: true, rng: this.dropoutRng }),
    );
    this.step++;
    return report;
  }

  /** The memory tasks have no dev split: evaluate() measures the fixed held-out set, their test set. */
  override get heldOut(): 'test' {
    return 'test';
  }

  /** The loss and the task's measure on the held-out set (means over its batches, weighted by size). */
  evaluate(): { loss: number; value: number } {
    return this.measureBoth(this.testSet);
  }

  /** The task's measure on other batches (a test set shared by several runs, say). */
  measure(batches: readonly TaskBatch[]): number {
    return this.measureBoth(batches).value;
  }

  private measureBoth(batches: readonly TaskBatch[]): { loss: number; value: number } {
    let loss = 0,
      value = 0,
      count = 0;
    for (const b of batches) {
      loss += withScope(() => taskLoss(null, this.model, this.task, b).item()) * b.B;
      value += taskMetric(this.model, this.task, b) * b.B;
      count += b.B;
    }
    return { loss: loss / count, value: value / count };
  }

  /** The memory tasks have no separate test split: the fixed held-out set is the test. */
  test(): number {
    return this.evaluate().value;
  }
}
