// What a task is: a seeded generator of batches and the measure a model is judged by.
//
// Inputs are time-major: `tokens` [T·B] (row t·B + b) for symbolic tasks, or `values`
// [T·B·I] for real-valued ones. Targets come in one of three kinds:
//   'regression'  one real number per sequence, read at its last step (MSE)
//   'class'       one class per sequence, read at its last step (cross-entropy, accuracy)
//   'steps'       one class per step [T·B], weighted by `mask` (0 where nothing is scored)
import type { Buf, IndexBuf, Rng } from '../core/index.js';
import type { Metric } from '../train/metric.js';

export type TargetKind = 'regression' | 'class' | 'steps';

export interface TaskBatch {
  T: number;
  B: number;
  tokens?: IndexBuf;
  values?: Buf;
  /** Per-sequence lengths when sequences differ in length (padding after them). */
  lengths?: number[];
  /** [B] for 'regression' and 'class', [T·B] for 'steps'. */
  targets: Buf;
  /** [T·B] step weights for 'steps', in the loss and the measure (absent: every step counts). */
  mask?: Buf;
  /** [T·B] the steps the measure counts, where it counts fewer than the loss (xml: the closing tags). */
  scored?: Buf;
}

export interface Task {
  readonly name: string;
  readonly description: string;
  /** Symbols in the input (tokens), or features per step (values). */
  readonly input: { kind: 'tokens'; vocab: number } | { kind: 'values'; size: number };
  readonly target: { kind: TargetKind; classes: number };
  readonly metric: Metric;
  /** A batch of B fresh examples drawn from rng. */
  batch(rng: Rng, B: number): TaskBatch;
  /** Turn tokens back into text, where the task has an alphabet. */
  decode?(tokens: ArrayLike<number>): string;
}
