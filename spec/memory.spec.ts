// Learning bounds on short memory tasks that must be solved, seeded, after a fixed number
// of steps: if the task, the masks or the cells were wrong, these would fail, which tells a
// real plateau on the long copy task (Arjovsky et al. 2016) from a bug.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../core/index.js';
import { addingTask, copyTask, type Task } from '../tasks/index.js';
import { modelForTask, taskLoss, taskMetric } from '../experiments/index.js';
import { initializeLayer, makeOptimizer, Trainer } from '../train/index.js';
import type { CellKind } from '../cells/index.js';

/** Train `steps` seeded Adam steps of batch 32 and return the measure on 512 held-out examples. */
function trained(task: Task, cell: CellKind, hiddenSize: number, steps: number, lr: number): number {
  const model = modelForTask(task, { cell, hiddenSize }, { seed: 1 });
  if (cell === 'lstm') initializeLayer(model.rnn, new Rng(2), { forgetBias: 1 });
  const trainer = new Trainer({
    optimizer: makeOptimizer('adam', model.store, { lr }),
    clip: { mode: 'norm', max: 1 },
  });
  const rng = new Rng(1);
  for (let s = 0; s < steps; s++) {
    const batch = task.batch(rng, 32);
    trainer.step((tape) => taskLoss(tape, model, task, batch));
  }
  return taskMetric(model, task, task.batch(new Rng(99), 512));
}

for (const cell of ['lstm', 'gru'] as const) {
  test(`${cell}: copies 2 symbols across a delay of 10 (accuracy ≥ 0.99 after 1,000 steps; guessing gives 0.125)`, () => {
    const accuracy = trained(copyTask(10, 2), cell, 16, 1000, 0.02);
    assert.ok(accuracy >= 0.99, `accuracy ${accuracy}`);
  });
}

test('lstm: copies 3 symbols across a delay of 5 (accuracy ≥ 0.99 after 1,000 steps)', () => {
  const accuracy = trained(copyTask(5, 3), 'lstm', 24, 1000, 0.02);
  assert.ok(accuracy >= 0.99, `accuracy ${accuracy}`);
});

test('lstm: solves the adding problem at T = 10 (MSE < 0.01 after 300 steps; the mean gives 0.167)', () => {
  const mse = trained(addingTask(10), 'lstm', 16, 300, 0.01);
  assert.ok(mse < 0.01, `MSE ${mse}`);
});

test.run();
