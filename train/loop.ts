// The training loop every run shares: steps until a step count or a time budget is used up
// (or the caller asks to stop), with an evaluation on held-out data every so often. The
// curve it returns (train and dev loss against examples seen) is what the reports plot.
import type { StepReport } from './trainer.js';
import type { TaskMetric } from './tasks/index.js';

/** Something that trains step by step and can be judged on held-out data. */
export interface Trainable {
  readonly title: string;
  readonly metric: TaskMetric;
  /** Training examples (sequences, sentences, chunks) per step. */
  readonly examplesPerStep: number;
  /** Steps done so far (a resumed run starts past 0). */
  step: number;
  trainStep(): StepReport;
  /** Mean loss on held-out data, and the metric there. */
  evaluate(): { loss: number; value: number };
  save(path: string): void;
}

export interface CurvePoint {
  step: number;
  examples: number;
  /** Mean training loss of the steps since the previous point. */
  trainLoss: number;
  devLoss: number;
  value: number;
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
  stoppedBy: 'steps' | 'time' | 'request';
}

export function trainFor(run: Trainable, options: LoopOptions): LoopResult {
  const started = Date.now(), seconds = options.seconds ?? 0, every = options.evalEvery ?? 0;
  const curve: CurvePoint[] = [];
  let sum = 0, count = 0;
  let stoppedBy: LoopResult['stoppedBy'] = 'steps';
  const evaluate = () => {
    const { loss, value } = run.evaluate();
    const point = { step: run.step, examples: run.step * run.examplesPerStep, trainLoss: count > 0 ? sum / count : NaN, devLoss: loss, value };
    curve.push(point);
    options.onEvaluation?.(point);
    sum = 0;
    count = 0;
  };
  while (run.step < options.steps) {
    const report = run.trainStep();
    if (!report.skipped) {
      sum += report.loss;
      count++;
    }
    options.onStep?.(report);
    if (every > 0 && run.step % every === 0) evaluate();
    if (options.shouldStop?.()) {
      stoppedBy = 'request';
      break;
    }
    if (seconds > 0 && (Date.now() - started) / 1000 >= seconds) {
      stoppedBy = 'time';
      break;
    }
  }
  if (curve.at(-1)?.step !== run.step) evaluate();
  return { curve, stoppedBy };
}
