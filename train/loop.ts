// The training loop every run shares: steps until a step count or a time budget is used up
// (or the caller asks to stop), with an evaluation on held-out data every so often. What it
// returns, the training loss at every step and the evaluations (train and held-out loss, the
// metric, the training time per step), is what the reports plot.
import { NonFiniteError, withScope } from '../core/index.js';
import type { StepReport } from './trainer.js';
import type { Metric } from './metric.js';

export type { Metric };

/** Something that trains step by step and can be judged on held-out data. */
export interface Trainable {
  readonly title: string;
  readonly metric: Metric;
  /** Training examples (sequences, sentences, chunks) per step. */
  readonly examplesPerStep: number;
  /** Steps done so far (a resumed run starts past 0). */
  step: number;
  trainStep(): StepReport;
  /** Which split evaluate() measures: a dev split, or (where a task has no dev split) the test set. */
  readonly heldOut: 'dev' | 'test';
  /** Mean loss on held-out data, and the metric there. */
  evaluate(): { loss: number; value: number };
  save(path: string): void;
}

export interface CurvePoint {
  step: number;
  examples: number;
  /** Mean training loss of the steps since the previous point. */
  trainLoss: number;
  /** The loss on the held-out split (Trainable.heldOut: dev, or test where there is no dev split). */
  devLoss: number;
  value: number;
  /** Milliseconds of training per step since the previous point (evaluations and saves not counted). */
  stepMs: number;
}

/** One training step's loss. */
export interface StepPoint {
  step: number;
  examples: number;
  loss: number;
}

export interface LoopOptions {
  /** Stop after this many steps in all (counting a resumed run's earlier steps). */
  steps: number;
  /** Stop after this many seconds of this session (0: no time limit). */
  seconds?: number;
  /** Evaluate every this many steps (0: only at the end). */
  evalEvery?: number;
  /** Checked after every step: true ends training early (Ctrl-C, say). */
  shouldStop?: () => boolean;
  onStep?(report: StepReport): void;
  onEvaluation?(point: CurvePoint): void;
}

export interface LoopResult {
  curve: CurvePoint[];
  /** The training loss of every step of this session (skipped steps left out). */
  steps: StepPoint[];
  /** 'non-finite': a step met a NaN or infinity and the trainer stopped (the weights are as before that step). */
  stoppedBy: 'steps' | 'time' | 'request' | 'non-finite';
  /** The trainer's NonFiniteError, when that stopped the run. */
  error?: NonFiniteError;
}

/** The loop's state between steps, so that a synchronous and an asynchronous driver can share it. */
class Loop {
  private readonly started = Date.now();
  private readonly curve: CurvePoint[] = [];
  private readonly steps: StepPoint[] = [];
  private sum = 0;
  private count = 0;
  /** Milliseconds spent in trainStep, and steps, since the last evaluation. */
  private trainMs = 0;
  private trained = 0;
  stoppedBy: LoopResult['stoppedBy'] = 'steps';
  error: NonFiniteError | undefined;

  constructor(
    private readonly run: Trainable,
    private readonly options: LoopOptions,
  ) {}

  /** One step (and an evaluation when one is due); false once training should end. */
  step(): boolean {
    const { run, options } = this;
    if (run.step >= options.steps) return false;
    let report: StepReport;
    const before = performance.now();
    try {
      report = run.trainStep();
      this.trainMs += performance.now() - before;
      this.trained++;
    } catch (err) {
      // The trainer undid the step, so the run is whole: end it here and let the caller save it.
      if (!(err instanceof NonFiniteError)) throw err;
      this.stoppedBy = 'non-finite';
      this.error = err;
      return false;
    }
    if (!report.skipped) {
      this.sum += report.loss;
      this.count++;
      this.steps.push({ step: run.step, examples: run.step * run.examplesPerStep, loss: report.loss });
    }
    options.onStep?.(report);
    const every = options.evalEvery ?? 0;
    if (every > 0 && run.step % every === 0) this.evaluate();
    if (options.shouldStop?.()) {
      this.stoppedBy = 'request';
      return false;
    }
    const seconds = options.seconds ?? 0;
    if (seconds > 0 && (Date.now() - this.started) / 1000 >= seconds) {
      this.stoppedBy = 'time';
      return false;
    }
    return run.step < options.steps;
  }

  private evaluate(): void {
    // In an allocation scope: the evaluation's tensors are freed when it ends.
    const { loss, value } = withScope(() => this.run.evaluate());
    const point = {
      step: this.run.step,
      examples: this.run.step * this.run.examplesPerStep,
      trainLoss: this.count > 0 ? this.sum / this.count : NaN,
      devLoss: loss,
      value,
      stepMs: this.trained > 0 ? this.trainMs / this.trained : NaN,
    };
    this.curve.push(point);
    this.options.onEvaluation?.(point);
    this.sum = 0;
    this.count = 0;
    this.trainMs = 0;
    this.trained = 0;
  }

  finish(): LoopResult {
    if (this.curve.at(-1)?.step !== this.run.step) this.evaluate();
    return {
      curve: this.curve,
      steps: this.steps,
      stoppedBy: this.stoppedBy,
      ...(this.error === undefined ? {} : { error: this.error }),
    };
  }
}

/** Train synchronously until the steps or the time run out, or shouldStop says so. */
export function trainFor(run: Trainable, options: LoopOptions): LoopResult {
  const loop = new Loop(run, options);
  while (loop.step());
  return loop.finish();
}

/**
 * The same loop, handing control back to the event loop every tenth of a second so that
 * signals (Ctrl-C) are heard while it runs.
 */
export async function trainForAsync(run: Trainable, options: LoopOptions): Promise<LoopResult> {
  const loop = new Loop(run, options);
  let yielded = Date.now();
  while (loop.step()) {
    if (Date.now() - yielded >= 100) {
      await new Promise((resolve) => setImmediate(resolve));
      yielded = Date.now();
    }
  }
  return loop.finish();
}
