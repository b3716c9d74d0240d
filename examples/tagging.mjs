// Many-to-many of equal length: a tag for every input symbol. The question at each step,
// "does this symbol appear again later in the sequence?", needs the future. A
// unidirectional LSTM can only learn how likely a repeat is from how many steps remain;
// a bidirectional one, which also reads the sequence backwards, answers it. Between them,
// the lectures' other bidirectional network: one LSTM reading [x_t, x_{T+1−t}], which by
// step t has seen the first t symbols and the last t, so all of them only from the middle on.
import { Rng, SequenceModel, Trainer, alloc, makeOptimizer, ops } from 'rnnlab';
import { arg } from './args.mjs';

const steps = arg('steps', 300);
const T = 12,
  V = 10;

function batch(rng, B) {
  const tokens = alloc('i32', T * B),
    targets = alloc('f64', T * B);
  for (let b = 0; b < B; b++) {
    const symbols = Array.from({ length: T }, () => rng.int(V));
    symbols.forEach((v, t) => {
      tokens[t * B + b] = v;
      targets[t * B + b] = symbols.slice(t + 1).includes(v) ? 1 : 0;
    });
  }
  return { T, B, tokens, targets };
}

function accuracy(model, data) {
  const out = model.forward(null, data).data;
  let right = 0;
  for (let r = 0; r < data.targets.length; r++) if ((out[2 * r + 1] > out[2 * r] ? 1 : 0) === data.targets[r]) right++;
  return right / data.targets.length;
}

const test = batch(new Rng(9), 512);
const result = {
  steps,
  baseRate: Math.max(...[0, 1].map((c) => test.targets.filter((v) => v === c).length / test.targets.length)),
};
console.log(`always answering the commoner tag: ${result.baseRate.toFixed(3)}`);
for (const [name, bidirectional] of [
  ['unidirectional', false],
  ['concatenated', 'concatenated'],
  ['bidirectional', true],
]) {
  const model = new SequenceModel({
    input: { kind: 'tokens', vocab: V },
    outputs: 2,
    readout: 'steps',
    layer: { cell: 'lstm', hiddenSize: 32, bidirectional },
    seed: 1,
  });
  const trainer = new Trainer({
    optimizer: makeOptimizer('adam', model.store, { lr: 0.01 }),
    clip: { mode: 'norm', max: 1 },
  });
  const data = new Rng(1);
  for (let step = 1; step <= steps; step++) {
    const b = batch(data, 32);
    trainer.step((tape) => ops.softmaxCrossEntropy(tape, model.forward(tape, b), b.targets));
  }
  result[name] = accuracy(model, test);
  const parameters = model.rnn.parameterCount().total;
  console.log(`${name.padEnd(14)} tag accuracy ${result[name].toFixed(3)}, ${parameters} recurrent parameters`);
}
console.log(JSON.stringify(result));
