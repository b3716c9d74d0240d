// One-to-many generation: a character-level language model. It reads a text as 8
// parallel streams, 32 characters at a time, carrying its state from chunk to chunk
// (truncated backpropagation through time), then writes new text from a prime, at a
// low and a high temperature, among the 10 likeliest characters.
import { CharLM, TokenStreams, Trainer, carry, makeOptimizer } from 'rnnlab';
import { arg } from './args.mjs';

const text = [
  'a recurrent network reads a sequence one step at a time and keeps a state. ',
  'the state after a step depends on the state before it and on what was read. ',
  'to train it we unroll the steps and send the error back through all of them. ',
  'the long short term memory keeps a cell whose gradient passes from step to step ',
  'through the forget gate alone, so that errors can travel far back in time. ',
]
  .join('')
  .repeat(8);

const steps = arg('steps', 300);
const lm = new CharLM({
  alphabet: CharLM.alphabetOf(text),
  layer: { cell: 'lstm', hiddenSize: 64, forgetBias: 1 },
  seed: 1,
});
const trainer = new Trainer({
  optimizer: makeOptimizer('adam', lm.store, { lr: 0.01 }),
  clip: { mode: 'norm', max: 5 },
});
const streams = new TokenStreams(lm.encode(text), 8);
let state = null;
for (let step = 1; step <= steps; step++) {
  const chunk = streams.next(32);
  if (chunk.reset) state = carry(state, null);
  const report = trainer.stepWith(() => {
    const r = lm.chunkGradients(chunk.tokens, 32, 8, state);
    state = carry(state, r.state);
    return r.loss;
  });
  if (step % 100 === 0) console.log(`step ${step}: loss ${report.loss.toFixed(3)} nats/char`);
}
for (const temperature of [0.5, 1.0]) {
  console.log(
    `temperature ${temperature}: ${JSON.stringify(lm.sample({ length: 80, temperature, topK: 10, prime: 'the state ', seed: 1 }))}`,
  );
}
const nats = lm.evaluate(text.slice(0, 1000));
console.log(JSON.stringify({ steps, nats, bitsPerChar: nats / Math.LN2, uniform: Math.log(lm.vocab) }));
