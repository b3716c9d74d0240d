// Encoder-decoder: an LSTM encoder reads a digit string of length 5-10; its final state
// starts an LSTM decoder that writes the string reversed (or sorted), one digit at a time.
// Training feeds the decoder the true previous digit (teacher forcing); inference feeds
// back its own choice (greedy decoding) until it writes the end symbol.
import { Rng, Seq2Seq, Trainer, digitPairs, makeOptimizer, pairAccuracy } from 'rnnlab';
import { arg } from './args.mjs';

const result = {};
for (const [kind, steps] of [
  ['reverse', arg('reverse-steps', 800)],
  ['sort', arg('sort-steps', 400)],
]) {
  const model = new Seq2Seq({
    sourceVocab: 10,
    targetVocab: 10,
    layer: { cell: 'lstm', hiddenSize: 64, forgetBias: 1 },
    seed: 1,
  });
  const trainer = new Trainer({
    optimizer: makeOptimizer('adam', model.store, { lr: 0.01 }),
    clip: { mode: 'norm', max: 1 },
  });
  const data = new Rng(1),
    test = digitPairs(new Rng(7), 256, kind);
  for (let step = 1; step <= steps; step++) {
    const batch = digitPairs(data, 32, kind);
    trainer.step((tape) => model.loss(tape, batch));
  }
  result[kind] = { steps, ...pairAccuracy(model, test) };
  const shown = digitPairs(new Rng(11), 3, kind);
  const decoded = model.greedy(shown, 12);
  for (let b = 0; b < 3; b++) {
    const source = Array.from({ length: shown.sourceLengths[b] }, (_, t) => shown.source[t * 3 + b]).join('');
    console.log(`${kind.padEnd(7)} ${source.padEnd(10)} → ${decoded[b].join('')}`);
  }
  console.log(
    `${kind}: ${(100 * result[kind].sequences).toFixed(1)}% of test strings exactly right, ${(100 * result[kind].symbols).toFixed(1)}% of digits`,
  );
}
console.log(JSON.stringify(result));
