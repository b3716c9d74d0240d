// One-to-many, as in image captioning: a single input, a sequence out. The input is a number's
// three digits (one-hot, 30 values); it sets the initial state of an LSTM decoder, h₀ =
// tanh(W x + b), which then writes the number in English words, one word a step, feeding
// back its own choice. Trained on 800 numbers of 0 … 999, tested on the 200 held out.
import {
  OneToMany,
  Rng,
  SPELL_INPUT,
  Trainer,
  decodedAccuracy,
  makeOptimizer,
  spellBatch,
  spellMajority,
  spellSplit,
  spellWords,
} from 'rnnlab';
import { arg } from './args.mjs';

const steps = arg('steps', 400);
const { train, test } = spellSplit(1);
const model = new OneToMany({
  inputSize: SPELL_INPUT,
  targetVocab: spellWords.length,
  layer: { cell: 'lstm', hiddenSize: 64, forgetBias: 1 },
  seed: 1,
});
const trainer = new Trainer({
  optimizer: makeOptimizer('adam', model.store, { lr: 0.01 }),
  clip: { mode: 'norm', max: 5 },
});
const data = new Rng(1);
for (let step = 1; step <= steps; step++) {
  const batch = spellBatch(Array.from({ length: 32 }, () => train[data.int(train.length)]));
  trainer.step((tape) => model.loss(tape, batch));
}
const held = spellBatch(test);
const decoded = model.generate(held.inputs, held.B, held.U + 2);
const words = (tokens) => tokens.map((t) => spellWords[t]).join(' ');
for (const b of [0, 57, 123, 199]) console.log(`${String(test[b]).padStart(3)} → ${words(decoded[b])}`);
const accuracy = decodedAccuracy(decoded, held);
const majority = spellMajority(train);
const baseline = decodedAccuracy(
  test.map(() => majority),
  held,
);
console.log(
  `held-out numbers: ${(100 * accuracy.sequences).toFixed(1)}% spelled exactly, ${(100 * accuracy.symbols).toFixed(1)}% of words right in place`,
);
console.log(
  `input-blind baseline ("${words(majority)}" for every number): ${(100 * baseline.sequences).toFixed(1)}% exactly, ${(100 * baseline.symbols).toFixed(1)}% of words`,
);
console.log(
  JSON.stringify({
    steps,
    exact: accuracy.sequences,
    tokens: accuracy.symbols,
    baseline: { exact: baseline.sequences, tokens: baseline.symbols },
  }),
);
