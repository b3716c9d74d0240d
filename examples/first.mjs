import {
  addingTask,
  gradcheck,
  lastStep,
  Linear,
  makeOptimizer,
  ops,
  ParamStore,
  RecurrentLayer,
  Rng,
  Tensor,
  Trainer,
} from 'rnnlab';

// The adding problem: 20 steps of (value, marker); the target is the sum of the two marked values.
const task = addingTask(20);

// A layer and a head declare their parameters in one store, which is then allocated once.
function model(dtype) {
  const store = new ParamStore(dtype);
  const lstm = new RecurrentLayer({ cell: 'lstm', inputSize: 2, hiddenSize: 16, forgetBias: 1, store });
  const head = new Linear(store, 'head', 16, 1);
  store.allocate();
  return { store, lstm, head };
}
const { store, lstm, head } = model('f32');
lstm.initialize(new Rng(1));
head.initialize(new Rng(2));

// The loss: the LSTM reads the sequence, the head reads its last output, squared error against the sum.
const loss = (m, tape, batch) => {
  const x = Tensor.from(batch.values, [batch.T, batch.B, 2], m.store.dtype);
  const prediction = m.head.forward(tape, lastStep(tape, m.lstm.forward(tape, x).y));
  return ops.mse(tape, prediction, Tensor.from(batch.targets, [batch.B, 1], m.store.dtype));
};

// Adam, the global gradient norm clipped to 1, and a trainer that stops on a NaN.
const trainer = new Trainer({ optimizer: makeOptimizer('adam', store, { lr: 0.01 }), clip: { mode: 'norm', max: 1 } });
const data = new Rng(3);
const test = task.batch(new Rng(4), 256);
for (let step = 1; step <= 600; step++) {
  const report = trainer.step((tape) => loss({ store, lstm, head }, tape, task.batch(data, 32)));
  if (step % 200 === 0) {
    const testLoss = loss({ store, lstm, head }, null, test).item();
    console.log(
      `step ${step}: train mse ${report.loss.toFixed(4)}, test mse ${testLoss.toFixed(4)} (predicting 1: ${task.metric.baseline.toFixed(4)})`,
    );
  }
}

// The trained weights, copied into a float64 twin through PyTorch-named state dicts, and the
// gradients of the same loss checked against central finite differences.
const twin = model('f64');
twin.lstm.loadStateDict(lstm.stateDict());
twin.head.loadStateDict(head.stateDict());
const batch = task.batch(new Rng(5), 2);
const report = gradcheck(
  (tape) => loss(twin, tape, batch),
  twin.store.entries().map(([, t]) => t),
);
console.log(
  `gradcheck of ${report.inputs.length} parameter tensors: worst relative error ${report.maxRelErr.toExponential(1)}, ${report.ok ? 'pass' : 'FAIL'}`,
);
