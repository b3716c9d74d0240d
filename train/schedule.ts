// Learning-rate schedules. Each sets optimizer.lr from its own state after every step
// (or, for the plateau rule, after every evaluation on a dev set).
//
//   step decay         η = η₀ · γ^⌊t / every⌋        (PyTorch's StepLR, counted in steps)
//   exponential decay  η = η₀ · γ^t                  (ExponentialLR, counted in steps)
//   halve on plateau   η ← η / 2 when the dev loss has not improved on its best for N
//                      evaluations in a row (PyTorch's ReduceLROnPlateau(factor 0.5) with
//                      patience N − 1: it acts on the N-th bad evaluation)
import type { Optimizer } from './optimizers.js';
import { ArgumentError } from '../core/index.js';

export type ScheduleState = Record<string, number>;

export interface Schedule {
  readonly name: string;
  /** After an optimizer step. */
  afterStep(optimizer: Optimizer): void;
  /** After an evaluation with this dev loss. */
  afterEvaluation(optimizer: Optimizer, devLoss: number): void;
  state(): ScheduleState;
  setState(state: ScheduleState): void;
}

export class StepDecay implements Schedule {
  readonly name = 'step';
  constructor(
    readonly initialLr: number,
    readonly every: number,
    readonly gamma: number,
  ) {
    nonNegative('StepDecay', 'initialLr', initialLr);
    positive('StepDecay', 'every', every);
    positive('StepDecay', 'gamma', gamma);
  }
  afterStep(optimizer: Optimizer): void {
    optimizer.lr = this.initialLr * this.gamma ** Math.floor(optimizer.stepCount / this.every);
  }
  afterEvaluation(): void {}
  state(): ScheduleState {
    return {};
  }
  setState(): void {}
}

export class ExponentialDecay implements Schedule {
  readonly name = 'exponential';
  constructor(
    readonly initialLr: number,
    readonly gamma: number,
  ) {
    nonNegative('ExponentialDecay', 'initialLr', initialLr);
    positive('ExponentialDecay', 'gamma', gamma);
  }
  afterStep(optimizer: Optimizer): void {
    optimizer.lr = this.initialLr * this.gamma ** optimizer.stepCount;
  }
  afterEvaluation(): void {}
  state(): ScheduleState {
    return {};
  }
  setState(): void {}
}

export class HalveOnPlateau implements Schedule {
  readonly name = 'plateau';
  best = Infinity;
  bad = 0;
  constructor(readonly patience: number) {
    positive('HalveOnPlateau', 'patience', patience);
  }
  afterStep(): void {}
  afterEvaluation(optimizer: Optimizer, devLoss: number): void {
    if (devLoss < this.best) {
      this.best = devLoss;
      this.bad = 0;
      return;
    }
    this.bad++;
    if (this.bad >= this.patience) {
      optimizer.lr /= 2;
      this.bad = 0;
    }
  }
  state(): ScheduleState {
    return { best: this.best, bad: this.bad };
  }
  /** The state a checkpoint read back: JSON writes the first best, Infinity, as null. */
  setState(state: ScheduleState): void {
    const best = (state.best as number | null) ?? Infinity;
    if (typeof best !== 'number' || Number.isNaN(best))
      throw new ArgumentError('HalveOnPlateau.setState', 'state.best', 'a number (or null for Infinity)', state.best);
    if (!Number.isSafeInteger(state.bad) || state.bad < 0)
      throw new ArgumentError('HalveOnPlateau.setState', 'state.bad', 'an integer ≥ 0', state.bad);
    this.best = best;
    this.bad = state.bad;
  }
}

function positive(where: string, name: string, v: number): void {
  if (!(typeof v === 'number' && Number.isFinite(v) && v > 0))
    throw new ArgumentError(where, name, 'a finite number > 0', v);
}

function nonNegative(where: string, name: string, v: number): void {
  if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0))
    throw new ArgumentError(where, name, 'a finite number ≥ 0', v);
}
