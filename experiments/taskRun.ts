// A training run on one of the tasks: the model, the optimizer, the loop over seeded
// batches with full backpropagation through time, evaluations on a fixed test set,
// checkpoints to save and resume. The CLI's `train` command and the specs both use it.
import { Rng } from '../core/index.js';
import type { CellKind } from '../cells/index.js';
import { loadCheckpoint, readCheckpointInfo, saveCheckpoint } from '../train/checkpoint.js';
import { initializeLayer } from '../train/init.js';
import { makeOptimizer, type OptimizerName } from '../train/optimizers.js';
import { modelForTask, taskLoss, taskMetric } from './taskModel.js';
import { makeTask, type Task, type TaskBatch } from '../tasks/index.js';
import { Trainer, type StepReport } from '../train/trainer.js';
import { trainFor, type CurvePoint, type LoopOptions, type Trainable } from '../train/loop.js';
import type { Metric } from '../train/loop.js';

export interface RunConfig {
  task: string;
  cell: CellKind;
  /** The task's length parameter (T, or the digits of arith); the task's default when absent. */
  seqLen?: number;
  hidden: number;
  layers: number;
  bidirectional: boolean;
  batch: number;
  steps: number;
  lr: number;
  optimizer: OptimizerName;
  /** Clip the global gradient norm to this (0: no clipping). */
  clip: number;
  seed: number;
  /** LSTM forget-gate bias at initialisation. */
  forgetBias: number;
  /** Examples in the fixed test set. */
  testSize: number;
  /** Evaluate every this many steps (0: only at the end). */
  evalEvery: number;
}

export const defaultRunConfig: Omit<RunConfig, 'task' | 'cell'> = {
  hidden: 32, layers: 1, bidirectional: false, batch: 64, steps: 1000, lr: 0.01,
  optimizer: 'adam', clip: 1, seed: 1, forgetBias: 1, testSize: 512, evalEvery: 250,
};

export type Evaluation = CurvePoint;

export interface RunSummary {
  task: string;
  cell: CellKind;
  steps: number;
  examples: number;
  metric: string;
  value: number;
  baseline: number;
  evaluations: Evaluation[];
  skipped: number;
}


export class TaskRun implements Trainable {
  readonly config: RunConfig;
  readonly task: Task;
  readonly model: ReturnType<typeof modelForTask>;
  readonly trainer: Trainer;
  /** Draws the training batches. */
  readonly dataRng: Rng;
  /** Draws the dropout masks. */
  readonly dropoutRng: Rng;
  readonly testSet: TaskBatch[];
  step = 0;
  readonly evaluations: Evaluation[] = [];

  constructor(config: RunConfig) {
    this.config = config;
    this.task = makeTask(config.task, config.seqLen);
    this.model = modelForTask(this.task, {
      cell: config.cell, hiddenSize: config.hidden, numLayers: config.layers, bidirectional: config.bidirectional,
    }, { seed: config.seed });
    initializeLayer(this.model.rnn, new Rng(config.seed + 1), { forgetBias: config.cell === 'lstm' ? config.forgetBias : undefined });
    const optimizer = makeOptimizer(config.optimizer, this.model.store, { lr: config.lr });
    this.trainer = new Trainer({ optimizer, clip: config.clip > 0 ? { mode: 'norm', max: config.clip } : undefined });
    this.dataRng = new Rng(config.seed);
    this.dropoutRng = new Rng(config.seed + 2);
    const testRng = new Rng(config.seed + 1_000_003);
    this.testSet = [];
    for (let left = config.testSize; left > 0; left -= 256) this.testSet.push(this.task.batch(testRng, Math.min(256, left)));
  }

  /** Continue a run from a checkpoint written by `save`; its config replaces the one given. */
  static resume(path: string, overrides: Partial<RunConfig> = {}): TaskRun {
    const info = readCheckpointInfo(path);
    const run = new TaskRun({ ...(info.config as RunConfig), ...overrides });
    run.step = loadCheckpoint(path, run.state()).step;
    return run;
  }

  private state() {
    return { store: this.model.store, optimizer: this.trainer.optimizer, rngs: { data: this.dataRng, dropout: this.dropoutRng } };
  }

  save(path: string): void {
    saveCheckpoint(path, this.state(), this.step, this.config);
  }

  /** The loss and the task's measure on the test set (means over its batches, weighted by size). */
  evaluate(): { loss: number; value: number } {
    let loss = 0, value = 0, count = 0;
    for (const b of this.testSet) {
      loss += taskLoss(null, this.model, this.task, b).item() * b.B;
      value += taskMetric(this.model, this.task, b) * b.B;
      count += b.B;
    }
    return { loss: loss / count, value: value / count };
  }

  get title(): string {
    return `${this.task.name}: ${this.task.description}`;
  }

  get metric(): Metric {
    return this.task.metric;
  }

  get examplesPerStep(): number {
    return this.config.batch;
  }

  /** One step on a fresh batch. */
  trainStep(): StepReport {
    const data = this.task.batch(this.dataRng, this.config.batch);
    const report = this.trainer.step((tape) => taskLoss(tape, this.model, this.task, data, { training: true, rng: this.dropoutRng }));
    this.step++;
    return report;
  }

  /** Train until `config.steps` steps are done, evaluating every `config.evalEvery`. */
  run(options: Partial<LoopOptions> = {}): RunSummary {
    const { curve } = trainFor(this, { steps: this.config.steps, evalEvery: this.config.evalEvery, ...options });
    this.evaluations.push(...curve);
    return this.summary();
  }

  summary(): RunSummary {
    const last = this.evaluations.at(-1);
    return {
      task: this.task.name, cell: this.config.cell, steps: this.step, examples: this.step * this.config.batch,
      metric: this.task.metric.name, value: last?.value ?? this.evaluate().value, baseline: this.task.metric.baseline,
      evaluations: this.evaluations, skipped: this.trainer.skipped,
    };
  }
}
