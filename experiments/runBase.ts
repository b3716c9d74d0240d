// What every training run is: settings by the library's names, a model, a trainer, the
// loop's Trainable interface, a final test, and a checkpoint that resumes it bit for bit.
//
// A checkpoint holds the weights, the optimizer state and every random stream (see
// train/checkpoint.ts), and beside them what this run adds: its settings and model
// description (vocabularies, an alphabet) in the config, its place in the data in
// `progress`, and tensors the next step depends on (the state a character model carries
// from chunk to chunk) as `run/<name>`.
import type { Module } from '../cells/index.js';
import { FormatError, type Buf, type Rng } from '../core/index.js';
import {
  loadCheckpoint,
  makeOptimizer,
  readCheckpointInfo,
  saveCheckpoint,
  Trainer,
  type Metric,
  type StepReport,
  type Trainable,
} from '../train/index.js';
import { completeSettings, type RunSettings } from './settings.js';

/** The trainer a run's settings describe: its optimizer, clipping (0: none) and NaN rule. */
export function trainerFor(settings: RunSettings, store: Parameters<typeof makeOptimizer>[1]): Trainer {
  return new Trainer({
    optimizer: makeOptimizer(settings.optimizer, store, { lr: settings.lr }),
    clip: settings.clip > 0 ? { mode: 'norm', max: settings.clip } : undefined,
    onNonFinite: settings.onNonFinite,
  });
}

/** A run the CLI and the specs drive: the loop's Trainable, plus its settings, trainer and final test. */
export interface Run extends Trainable {
  readonly settings: RunSettings;
  readonly trainer: Trainer;
  /** The metric on the test data (or the held-out set), for the final report. */
  test(): number;
  /** Restore the state `save` wrote into this freshly built run. */
  load(path: string): void;
  /** The model the run trains (its summary(), its parameters). */
  readonly module: Module;
}

/** A tensor a run saves beside its weights. */
export interface RunTensor {
  shape: readonly number[];
  data: Buf;
}

/** What a run's checkpoint config holds: its settings, what rebuilds its model, and its place in the data. */
export interface SavedRun {
  settings: RunSettings;
  model: unknown;
  progress: unknown;
}

export abstract class RunBase implements Run {
  step = 0;
  abstract readonly title: string;
  abstract readonly metric: Metric;
  abstract readonly trainer: Trainer;
  /** The model the run trains. */
  abstract readonly module: Module;

  readonly settings: RunSettings;

  /** settings: checked against what the task honours and completed with the cell's defaults (settings.ts). */
  constructor(settings: RunSettings) {
    this.settings = completeSettings(settings);
  }

  get examplesPerStep(): number {
    return this.settings.batch;
  }

  /** The split evaluate() measures: a dev split (runs with no dev split say 'test'). */
  get heldOut(): 'dev' | 'test' {
    return 'dev';
  }

  abstract trainStep(): StepReport;
  abstract evaluate(): { loss: number; value: number };
  abstract test(): number;
  /** Every random stream the training steps draw from, by name. */
  protected abstract rngs(): Record<string, Rng>;
  /** What rebuilds the model beyond the settings (vocabularies, an alphabet). */
  protected modelConfig(): unknown {
    return null;
  }
  /** The run's place in its data (a batch order, a stream position), as JSON. */
  protected progress(): unknown {
    return null;
  }
  protected restoreProgress(_progress: unknown): void {}
  /** Tensors the next step depends on beyond the weights (a carried state). */
  protected carried(): Record<string, RunTensor> {
    return {};
  }
  protected restoreCarried(_tensors: Record<string, RunTensor>): void {}

  save(path: string): void {
    const saved: SavedRun = { settings: this.settings, model: this.modelConfig(), progress: this.progress() };
    saveCheckpoint(
      path,
      { store: this.trainer.store, optimizer: this.trainer.optimizer, rngs: this.rngs(), tensors: this.carried() },
      this.step,
      saved,
    );
  }

  load(path: string): void {
    const info = loadCheckpoint(path, {
      store: this.trainer.store,
      optimizer: this.trainer.optimizer,
      rngs: this.rngs(),
    });
    this.step = info.step;
    this.restoreProgress((info.config as SavedRun).progress);
    this.restoreCarried(info.tensors);
  }
}

/** The settings and model description a run's checkpoint holds (checked to be one). */
export function readSavedRun(path: string): SavedRun & { step: number } {
  const { step, config } = readCheckpointInfo(path);
  const saved = config as Partial<SavedRun> | null;
  if (
    saved === null ||
    typeof saved !== 'object' ||
    saved.settings === undefined ||
    typeof saved.settings.task !== 'string'
  ) {
    throw new FormatError('checkpoint', path, 'was not written by a training run (its config has no settings)');
  }
  return { step, settings: saved.settings, model: saved.model ?? null, progress: saved.progress ?? null };
}
