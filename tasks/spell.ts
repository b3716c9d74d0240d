// Spelling a number in English words, from the number alone: the one-to-many task (a single
// input, a sequence out, as in image captioning). 347 → three hundred forty seven.
//
// The input is the number's three digits, each one-hot: a vector of 30. The output is the
// words, then EOS. The numbers 0 … 999 are split once, by a seeded shuffle, into training
// and held-out numbers, so that the test asks for numbers the model never saw spelled.
import { Rng } from '../core/index.js';

const units = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const tens = ['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
/** The words, in token order: EOS is spellWords.length. */
export const spellWords: readonly string[] = [...units, ...tens, 'hundred'];
export const SPELL_INPUT = 30;
const LARGEST = 999;

/** The English words of n in 0 … 999, without "and" or hyphens. */
export function spellNumber(n: number): string[] {
  if (!Number.isInteger(n) || n < 0 || n > LARGEST)
    throw new Error(`spellNumber: n must be an integer in [0, ${LARGEST}], got ${n}`);
  const hundreds = Math.floor(n / 100),
    rest = n % 100;
  const words = hundreds > 0 ? [units[hundreds], 'hundred'] : [];
  if (rest >= 20) words.push(tens[Math.floor(rest / 10) - 2], ...(rest % 10 > 0 ? [units[rest % 10]] : []));
  else if (rest > 0 || hundreds === 0) words.push(units[rest]);
  return words;
}

/** The numbers 0 … 999 split by a seeded shuffle: `testShare` of them held out. */
export function spellSplit(seed: number, testShare = 0.2): { train: number[]; test: number[] } {
  const all = new Rng(seed).shuffle(Array.from({ length: LARGEST + 1 }, (_, n) => n));
  const cut = Math.round(all.length * (1 - testShare));
  return { train: all.slice(0, cut).sort((a, b) => a - b), test: all.slice(cut).sort((a, b) => a - b) };
}

/** B numbers as the model reads them: inputs [B, 30] (three one-hot digits), targets time-major and padded, EOS at the end. */
export interface SpellBatch {
  B: number;
  inputs: number[];
  U: number;
  target: number[];
  targetLengths: number[];
}

export function spellBatch(numbers: readonly number[]): SpellBatch {
  const B = numbers.length,
    EOS = spellWords.length;
  const inputs = new Array<number>(B * SPELL_INPUT).fill(0);
  const sequences = numbers.map((n, b) => {
    [Math.floor(n / 100), Math.floor(n / 10) % 10, n % 10].forEach(
      (digit, k) => (inputs[b * SPELL_INPUT + k * 10 + digit] = 1),
    );
    return [...spellNumber(n).map((w) => spellWords.indexOf(w)), EOS];
  });
  const U = Math.max(...sequences.map((s) => s.length));
  const target = new Array<number>(U * B).fill(0);
  sequences.forEach((s, b) => s.forEach((token, t) => (target[t * B + b] = token)));
  return { B, inputs, U, target, targetLengths: sequences.map((s) => s.length) };
}

/**
 * The input-blind baseline: the training spellings' commonest word at each position (and
 * EOS where most end), the same answer for every number.
 */
export function spellMajority(train: readonly number[]): number[] {
  const sequences = train.map((n) => [...spellNumber(n).map((w) => spellWords.indexOf(w)), spellWords.length]);
  const out: number[] = [];
  for (let t = 0; ; t++) {
    const counts = new Map<number, number>();
    for (const s of sequences) if (t < s.length) counts.set(s[t], (counts.get(s[t]) ?? 0) + 1);
    const ended = sequences.filter((s) => s.length <= t).length;
    const [best, count] = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0] ?? [spellWords.length, 0];
    if (best === spellWords.length || ended >= count) return out;
    out.push(best);
  }
}
