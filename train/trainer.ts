// One training step, the way the textbooks teach it: forward on a fresh tape, backward,
// a check that nothing became NaN or infinite, clipping, the optimizer's update, the
// schedule. A non-finite loss or gradient is reported with the step and the first
// tensor affected, and either stops training (the default) or skips the step; the weights
// are never overwritten with NaN (a step that would do so is undone and reported).
import { ArgumentError, NonFiniteError, Tape, withScope, type ParamStore, type Tensor } from '../core/index.js';
import { clipGradNorm, clipGradValue, norm } from './clip.js';
import type { Optimizer, OptimizerSnapshot } from './optimizers.js';
import type { Schedule } from './schedule.js';

export interface TrainerOptions {
  optimizer: Optimizer;
  /** Clip gradients by global 2-norm ('norm', Pascanu et al.) or element-wise ('value', Mikolov). */
  clip?: { mode: 'norm' | 'value'; max: number };
  schedule?: Schedule;
  /** What a NaN or infinite loss or gradient does: stop training (throw) or skip the step. */
  onNonFinite?: 'stop' | 'skip';
}

export interface StepReport {
  step: number;
  loss: number;
  /** The gradient's global 2-norm before clipping (NaN when the step was skipped). */
  gradNorm: number;
  skipped: boolean;
}

/** A training step met a NaN or infinity: `step N: the gradient of W[3] is NaN; training stopped …`. */
export class NonFiniteStepError extends NonFiniteError {
  constructor(
    readonly step: number,
    what: string,
    value: number,
  ) {
    super(
      `step ${step}`,
      what,
      value,
      "; training stopped (onNonFinite: 'skip', or --on-nonfinite skip, skips such steps instead)",
    );
  }
}

export class Trainer {
  readonly store: ParamStore;
  readonly optimizer: Optimizer;
  readonly options: TrainerOptions;
  skipped = 0;
  private readonly tape = new Tape();
  /** The parameters and optimizer state before the update, to undo one that writes NaN. */
  private readonly before: OptimizerSnapshot;

  constructor(options: TrainerOptions) {
    this.options = options;
    this.optimizer = options.optimizer;
    this.store = options.optimizer.store;
    this.before = this.optimizer.snapshot();
    const mode = options.onNonFinite ?? 'stop';
    if (mode !== 'stop' && mode !== 'skip') throw new ArgumentError('Trainer', 'onNonFinite', "'stop' or 'skip'", mode);
    if (options.clip !== undefined) {
      if (options.clip.mode !== 'norm' && options.clip.mode !== 'value')
        throw new ArgumentError('Trainer', 'clip.mode', "'norm' or 'value'", options.clip.mode);
      if (!(typeof options.clip.max === 'number' && options.clip.max > 0 && Number.isFinite(options.clip.max))) {
        throw new ArgumentError('Trainer', 'clip.max', 'a finite number > 0', options.clip.max);
      }
    }
  }

  /**
   * One step on the loss `lossOf` records on the tape it is given. The step runs in an
   * allocation scope (core/scope.ts): every tensor made during it (the batch's, the ops'
   * outputs, their gradients) is freed when it ends; keep() one that must outlive it.
   */
  step(lossOf: (tape: Tape) => Tensor): StepReport {
    return withScope(() => {
      const step = this.optimizer.stepCount + 1;
      this.store.zeroGrad();
      try {
        const loss = lossOf(this.tape);
        const value = loss.item();
        if (!Number.isFinite(value)) return this.nonFinite(step, 'the loss', value, value);
        this.tape.backward(loss);
        return this.update(step, value);
      } finally {
        this.tape.reset();
      }
    });
  }

  /**
   * One step on gradients computed elsewhere (truncated BPTT runs its own tapes):
   * `gradients` fills the store's zeroed gradients and returns the loss. It runs in an
   * allocation scope, as step does.
   */
  stepWith(gradients: () => number): StepReport {
    return withScope(() => {
      const step = this.optimizer.stepCount + 1;
      this.store.zeroGrad();
      const value = gradients();
      if (!Number.isFinite(value)) return this.nonFinite(step, 'the loss', value, value);
      return this.update(step, value);
    });
  }

  /** Check the gradients, clip, update (undone if it would write NaN), advance the schedule. */
  private update(step: number, loss: number): StepReport {
    const bad = firstNonFinite(this.store, 'grad');
    if (bad !== null) return this.nonFinite(step, `the gradient of ${bad.name}[${bad.index}]`, bad.value, loss);
    let gradNorm: number;
    const clip = this.options.clip;
    if (clip?.mode === 'value') {
      gradNorm = norm(this.store.grad);
      clipGradValue(this.store, clip.max);
    } else if (clip?.mode === 'norm') gradNorm = clipGradNorm(this.store, clip.max);
    else gradNorm = norm(this.store.grad);
    this.optimizer.snapshot(this.before);
    this.optimizer.step();
    const broken = firstNonFinite(this.store, 'data');
    if (broken !== null) {
      this.optimizer.restore(this.before);
      return this.nonFinite(step, `the update of ${broken.name}[${broken.index}]`, broken.value, loss);
    }
    this.options.schedule?.afterStep(this.optimizer);
    return { step, loss, gradNorm, skipped: false };
  }

  private nonFinite(step: number, where: string, value: number, loss: number): StepReport {
    if ((this.options.onNonFinite ?? 'stop') === 'stop') throw new NonFiniteStepError(step, where, value);
    this.skipped++;
    this.store.zeroGrad();
    return { step, loss, gradNorm: NaN, skipped: true };
  }
}

/** The first parameter (in store order) whose data or gradient holds a NaN or infinity. */
export function firstNonFinite(
  store: ParamStore,
  which: 'data' | 'grad',
): { name: string; index: number; value: number } | null {
  for (const [name, t] of store.entries()) {
    const buf = which === 'data' ? t.data : t.ensureGrad();
    for (let q = 0; q < buf.length; q++) if (!Number.isFinite(buf[q])) return { name, index: q, value: buf[q] };
  }
  return null;
}
