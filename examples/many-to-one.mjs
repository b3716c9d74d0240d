// Many-to-one: classify a whole sequence from the network's state after its last step.
// The temporal order problem (Hochreiter & Schmidhuber 1997): which of XX, XY, YX, YY
// appear, in that order, among 30 steps of distractors?
import { Rng, Trainer, makeOptimizer, makeTask, modelForTask, taskLoss, taskMetric } from 'rnnlab';
import { arg } from './args.mjs';

const steps = arg('steps', 400);
const task = makeTask('order', 30);
const model = modelForTask(task, { cell: 'lstm', hiddenSize: 32, forgetBias: 1 }, { seed: 1 });
const trainer = new Trainer({
  optimizer: makeOptimizer('adam', model.store, { lr: 0.01 }),
  clip: { mode: 'norm', max: 1 },
});
const data = new Rng(1),
  test = task.batch(new Rng(2), 512);

for (let step = 1; step <= steps; step++) {
  const batch = task.batch(data, 32);
  trainer.step((tape) => taskLoss(tape, model, task, batch));
  if (step % 100 === 0) console.log(`step ${step}: test accuracy ${taskMetric(model, task, test).toFixed(3)}`);
}
const example = task.batch(new Rng(3), 1);
const logits = model.forward(null, example).data;
const classes = ['XX', 'XY', 'YX', 'YY'];
console.log(
  `${task.decode(example.tokens)} → ${classes[logits.indexOf(Math.max(...logits))]} (true: ${classes[example.targets[0]]})`,
);
console.log(JSON.stringify({ steps, accuracy: taskMetric(model, task, test), baseline: task.metric.baseline }));
