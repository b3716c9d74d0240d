// The copy task (Hochreiter & Schmidhuber 1997; in this form Arjovsky et al. 2016): ten
// symbols from an alphabet of 8, then T − 1 blanks, a delimiter, and ten more blanks during
// which the ten symbols must be reproduced.
//
// Tokens: 0 blank, 1..8 the symbols, 9 the delimiter. Classes: 1..8 (0 unused).
// Only the ten recall steps are scored, in the loss and the measure: the share of symbols
// reproduced. A model without memory guesses, 1/8: the memoryless baseline. (Arjovsky et
// al. score every step, blanks included, in nats: 10·ln 8 / (T + 20) for a memoryless
// model; with blanks free to predict, that mean hides how much is recalled.)
import { ArgumentError, alloc, type Rng } from '../core/index.js';
import type { Task, TaskBatch } from './task.js';

const ALPHABET = 8,
  DELIMITER = 9;

/** T: the delay; symbols: how many to copy (ten in the standard task; fewer make a quick check). */
export function copyTask(T: number, symbols = 10): Task {
  if (!Number.isInteger(T) || T < 1) throw new ArgumentError('copy', 'the delay T', 'a positive integer', T);
  if (!Number.isInteger(symbols) || symbols < 1)
    throw new ArgumentError('copy', 'symbols', 'a positive integer', symbols);
  const SYMBOLS = symbols,
    length = T + 2 * SYMBOLS;
  return {
    name: 'copy',
    description: `reproduce ${SYMBOLS} symbols after a delay of ${T} steps`,
    input: { kind: 'tokens', vocab: 10 },
    target: { kind: 'steps', classes: ALPHABET + 1 },
    metric: { name: 'accuracy', baseline: 1 / ALPHABET, higherIsBetter: true },
    batch(rng: Rng, B: number): TaskBatch {
      const tokens = alloc('i32', length * B);
      const targets = alloc('f64', length * B),
        mask = alloc('f64', length * B);
      for (let b = 0; b < B; b++) {
        for (let k = 0; k < SYMBOLS; k++) {
          const symbol = 1 + rng.int(ALPHABET);
          tokens[k * B + b] = symbol;
          targets[(T + SYMBOLS + k) * B + b] = symbol;
          mask[(T + SYMBOLS + k) * B + b] = 1;
        }
        tokens[(SYMBOLS + T - 1) * B + b] = DELIMITER;
      }
      return { T: length, B, tokens, targets, mask };
    },
    decode: (tokens) => Array.from(tokens, (t) => (t === 0 ? '_' : t === DELIMITER ? ':' : String(t))).join(''),
  };
}
