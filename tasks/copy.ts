// The copy task (Hochreiter & Schmidhuber 1997; in this form Arjovsky et al. 2016): ten
// symbols from an alphabet of 8, then T − 1 blanks, a delimiter, and ten more blanks during
// which the ten symbols must be reproduced. Targets are blank everywhere else.
//
// Tokens: 0 blank, 1..8 the symbols, 9 the delimiter. Classes: 0 blank, 1..8.
// A model that outputs blanks and then guesses uniformly scores 10·ln 8 / (T + 20) nats
// per step: the memoryless baseline.
import { ArgumentError, alloc, type Rng } from '../core/index.js';
import type { Task, TaskBatch } from './task.js';

const SYMBOLS = 10, ALPHABET = 8, DELIMITER = 9;

export function copyTask(T: number): Task {
  if (!Number.isInteger(T) || T < 1) throw new ArgumentError('copy', 'the delay T', 'a positive integer', T);
  const length = T + 2 * SYMBOLS;
  return {
    name: 'copy',
    description: `reproduce ${SYMBOLS} symbols after a delay of ${T} steps`,
    input: { kind: 'tokens', vocab: 10 },
    target: { kind: 'steps', classes: ALPHABET + 1 },
    metric: { name: 'nats', baseline: (SYMBOLS * Math.log(ALPHABET)) / length, higherIsBetter: false },
    batch(rng: Rng, B: number): TaskBatch {
      const tokens = alloc('i32', length * B);
      const targets = alloc('f64', length * B);
      for (let b = 0; b < B; b++) {
        for (let k = 0; k < SYMBOLS; k++) {
          const symbol = 1 + rng.int(ALPHABET);
          tokens[k * B + b] = symbol;
          targets[(T + SYMBOLS + k) * B + b] = symbol;
        }
        tokens[(SYMBOLS + T - 1) * B + b] = DELIMITER;
      }
      return { T: length, B, tokens, targets };
    },
    decode: (tokens) => Array.from(tokens, (t) => (t === 0 ? '_' : t === DELIMITER ? ':' : String(t))).join(''),
  };
}
