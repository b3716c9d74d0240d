// The temporal order problem (Hochreiter & Schmidhuber 1997, experiment 6a): a sequence of
// T symbols starting with E and ending with B, filled with distractors a, b, c, d, except
// for two relevant symbols, each X or Y, one at a random step in [0.1T, 0.2T] and one in
// [0.5T, 0.6T]. The class is their order: XX, XY, YX or YY. Chance is 0.25.
import { ArgumentError, alloc, type Rng } from '../core/index.js';
import type { Task, TaskBatch } from './task.js';

const ALPHABET = ['a', 'b', 'c', 'd', 'X', 'Y', 'E', 'B'];
const X = 4,
  START = 6,
  END = 7;

export function orderTask(T: number): Task {
  if (!Number.isInteger(T) || T < 20) throw new ArgumentError('order', 'the sequence length', 'an integer ≥ 20', T);
  const window = (from: number, to: number, rng: Rng) =>
    Math.floor(from * T) + rng.int(Math.floor(to * T) - Math.floor(from * T) + 1);
  return {
    name: 'order',
    description: `class of the order of two relevant symbols X/Y in ${T} steps of distractors`,
    input: { kind: 'tokens', vocab: ALPHABET.length },
    target: { kind: 'class', classes: 4 },
    metric: { name: 'accuracy', baseline: 0.25, higherIsBetter: true },
    batch(rng: Rng, B: number): TaskBatch {
      const tokens = alloc('i32', T * B);
      const targets = alloc('f64', B);
      for (let b = 0; b < B; b++) {
        for (let t = 0; t < T; t++) tokens[t * B + b] = rng.int(4);
        tokens[b] = START;
        tokens[(T - 1) * B + b] = END;
        const first = rng.int(2),
          second = rng.int(2);
        tokens[window(0.1, 0.2, rng) * B + b] = X + first;
        tokens[window(0.5, 0.6, rng) * B + b] = X + second;
        targets[b] = first * 2 + second;
      }
      return { T, B, tokens, targets };
    },
    decode: (tokens) => Array.from(tokens, (t) => ALPHABET[t]).join(''),
  };
}
