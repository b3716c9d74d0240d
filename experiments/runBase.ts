// What every training run is: settings by the library's names, a model, a trainer, the
// loop's Trainable interface, a final test, and a checkpoint that resumes it bit for bit.
//
// A checkpoint holds the weights, the optimizer state and every random stream (see
// train/checkpoint.ts), and beside them what this run adds: its settings and model
// description (vocabularies, an alphabet) in the config, its place in the data in
// `progress`, and tensors the next step depends on (the state a character model carries
// from chunk to chunk) as `run/<name>`.
import { FormatError, type Buf, type Rng } from '../core/index.js';
import { defaultForgetBias, type CellChoice, type CellKind, type LstmVariant } from '../cells/index.js';
import {
  loadCheckpoint, readCheckpointInfo, saveCheckpoint, type Metric, type OptimizerName, type StepReport, type Trainable, type Trainer,
} from '../train/index.js';
import type { Tagset } from '../data/index.js';

/** The settings of a run, by the library's names. Task-specific ones are absent where they do not apply. */
export interface RunSettings {
  task: string;
  cell: CellKind;
  hiddenSize: number;
  numLayers: number;
  /** true: two RNNs, one each way; 'concatenated': one RNN over [x_t, x_{T+1−t}]. */
  bidirectional: boolean | 'concatenated';
  /** Sequences (sentences, chunks) per step. */
  batch: number;
  lr: number;
  optimizer: OptimizerName;
  /** Clip the global gradient norm to this; 0 means no clipping. */
  clip: number;
  seed: number;
  /** Steps in all, counting a resumed run's; null: no step limit (a time budget ends the run). */
  steps: number | null;
  /** Minutes of training in this session; 0: no time limit. */
  minutes: number;
  /** Evaluate every this many steps; 0: only at the end. */
  evalEvery: number;
  /** What a NaN or infinite loss or gradient does: stop the run, or skip the step. */
  onNonFinite: 'stop' | 'skip';
  /** Memory tasks: the length parameter (T, or arith's digits). */
  seqLen?: number;
  /** Memory tasks: examples in the fixed test set. */
  testSize?: number;
  /** pos: the tags to predict. */
  tagset?: Tagset;
  /** RNN: the nonlinearity (tanh; wordlm: sigmoid). */
  nonlinearity?: 'tanh' | 'relu' | 'sigmoid';
  /** LSTM: variant switches, comma-separated (cells/lstm.ts: nfg, nig, nog, peephole, cifg, …). */
  variant?: string;
  /** LSTM: the initial forget-gate bias (1 where the cell has a forget gate). */
  forgetBias?: number;
  /** GRU: z the gate that keeps h₋₁ (PyTorch) or that writes the candidate. */
  updateGate?: 'keeps' | 'writes';
}

const settingOrder: (keyof RunSettings)[] = [
  'task', 'cell', 'hiddenSize', 'numLayers', 'bidirectional', 'batch', 'steps', 'minutes', 'lr', 'optimizer', 'clip', 'seed',
  'evalEvery', 'onNonFinite', 'seqLen', 'testSize', 'tagset', 'nonlinearity', 'variant', 'forgetBias', 'updateGate',
];

/** The settings in a fixed order (task first), without the ones that do not apply: name → value. */
export function orderedSettings(settings: RunSettings): [string, string | number | boolean | null][] {
  return settingOrder.filter((k) => settings[k] !== undefined).map((k) => [k, settings[k] as string | number | boolean | null]);
}

/**
 * The cell a run's settings name, with its kind's own options: what a layer is built from.
 * An LSTM with a forget gate starts with forget bias 1 unless the settings say otherwise.
 */
export function cellChoice(settings: RunSettings): CellChoice {
  const { cell, nonlinearity, variant, updateGate } = settings;
  const variants = variant === undefined ? undefined : variant.split(',').map((v) => v.trim()) as LstmVariant[];
  const hasForgetGate = cell === 'lstm' && !(variants ?? []).includes('nfg');
  const forgetBias = settings.forgetBias ?? (hasForgetGate ? defaultForgetBias(cell) : undefined);
  return {
    cell,
    ...(nonlinearity !== undefined && { nonlinearity }),
    ...(variants !== undefined && { variant: variants }),
    ...(forgetBias !== undefined && { forgetBias }),
    ...(updateGate !== undefined && { updateGate }),
  };
}

/** A run the CLI and the specs drive: the loop's Trainable, plus its settings, trainer and final test. */
export interface Run extends Trainable {
  readonly settings: RunSettings;
  readonly trainer: Trainer;
  /** The metric on the test data (or the held-out set), for the final report. */
  test(): number;
  /** Restore the state `save` wrote into this freshly built run. */
  load(path: string): void;
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

  constructor(readonly settings: RunSettings) {}

  get examplesPerStep(): number {
    return this.settings.batch;
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
    saveCheckpoint(path, { store: this.trainer.store, optimizer: this.trainer.optimizer, rngs: this.rngs(), tensors: this.carried() }, this.step, saved);
  }

  load(path: string): void {
    const info = loadCheckpoint(path, { store: this.trainer.store, optimizer: this.trainer.optimizer, rngs: this.rngs() });
    this.step = info.step;
    this.restoreProgress((info.config as SavedRun).progress);
    this.restoreCarried(info.tensors);
  }
}

/** The settings and model description a run's checkpoint holds (checked to be one). */
export function readSavedRun(path: string): SavedRun & { step: number } {
  const { step, config } = readCheckpointInfo(path);
  const saved = config as Partial<SavedRun> | null;
  if (saved === null || typeof saved !== 'object' || saved.settings === undefined || typeof saved.settings.task !== 'string') {
    throw new FormatError('checkpoint', path, 'was not written by a training run (its config has no settings)');
  }
  return { step, settings: saved.settings, model: saved.model ?? null, progress: saved.progress ?? null };
}
