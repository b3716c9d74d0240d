// A task's model, loss and measure: the read-out follows the task's targets
// ('regression' and 'class' at the last step, 'steps' at every step).
import { argmaxRows, ops, Tensor, withScope, type Tape } from '../core/index.js';
import type { LayerOptions } from '../cells/index.js';
import { SequenceModel, type RunOptions } from '../models/sequenceModel.js';
import type { Task, TaskBatch } from '../tasks/index.js';

export function modelForTask(
  task: Task,
  layer: SequenceModelLayer,
  options: { seed?: number; dtype?: 'f32' | 'f64'; embeddingDim?: number } = {},
): SequenceModel {
  return new SequenceModel({
    input: task.input,
    outputs: task.target.classes,
    readout: task.target.kind === 'steps' ? 'steps' : 'last',
    layer,
    embeddingDim: options.embeddingDim,
    dtype: options.dtype,
    seed: options.seed,
  });
}

export type SequenceModelLayer = Omit<LayerOptions, 'inputSize' | 'store' | 'dtype' | 'name'>;

/** The training loss of a batch: MSE for regression, cross-entropy (masked, mean) otherwise. */
export function taskLoss(
  tape: Tape | null,
  model: SequenceModel,
  task: Task,
  batch: TaskBatch,
  run: RunOptions = {},
): Tensor {
  const out = model.forward(tape, batch, run);
  switch (task.target.kind) {
    case 'regression':
      return ops.mse(tape, out, Tensor.from(batch.targets, [batch.B, 1], out.dtype));
    case 'class':
      return ops.softmaxCrossEntropy(tape, out, batch.targets);
    case 'steps':
      return ops.softmaxCrossEntropy(tape, out, batch.targets, { mask: batch.mask });
  }
}

/** The task's measure on a batch (no tape, no dropout; in an allocation scope of its own). */
export function taskMetric(model: SequenceModel, task: Task, batch: TaskBatch): number {
  return withScope(() => {
    const out = model.forward(null, batch);
    const metric = task.metric.name;
    if (metric === 'mse') return ops.mse(null, out, Tensor.from(batch.targets, [batch.B, 1], out.dtype)).item();
    if (metric === 'accuracy') return accuracy(out, batch);
    const nats = ops.softmaxCrossEntropy(null, out, batch.targets, { mask: batch.mask }).item();
    return metric === 'bpc' ? nats / Math.LN2 : nats;
  });
}

/** Share of scored rows whose largest logit is the target. */
function accuracy(logits: Tensor, batch: TaskBatch): number {
  const best = argmaxRows(logits);
  const weights = batch.scored ?? batch.mask;
  let right = 0,
    scored = 0;
  for (let r = 0; r < best.length; r++) {
    const w = weights === undefined ? 1 : weights[r];
    if (w === 0) continue;
    scored++;
    if (best[r] === batch.targets[r]) right++;
  }
  return scored === 0 ? 0 : right / scored;
}
