// The arithmetic task of Jozefowicz, Zaremba & Sutskever (2015): read the sum or difference
// of two numbers of up to k digits, with random distractor characters between the input
// characters, then emit the answer one character at a time after '=' and end with '.'.
//
// Each example is a character sequence, e.g. "4c2+b7d=49." (0–2 distractors, a..z, after
// each question character); the model reads it and at every step predicts the next
// character, seeing the true answer so far (next-step prediction, as in the paper). Only
// the answer characters after '=' (digits, a minus sign, the end mark '.') are scored: the
// metric is their accuracy; always guessing the commonest answer character is the
// baseline. 10 digits, + − = ., and 26 distractors: 40 symbols.
import { ArgumentError, alloc, Rng } from '../core/index.js';
import type { Task, TaskBatch } from './task.js';

const CHARS = '0123456789+-=.abcdefghijklmnopqrstuvwxyz';
const code = (ch: string) => CHARS.indexOf(ch);

export function arithTask(digits: number, distractors = 2): Task {
  if (!Number.isInteger(digits) || digits < 1 || digits > 15)
    throw new ArgumentError('arith', 'digits', 'an integer in [1, 15]', digits);
  const number = (rng: Rng) => {
    const length = 1 + rng.int(digits);
    let n = 1 + rng.int(9);
    for (let k = 1; k < length; k++) n = n * 10 + rng.int(10);
    return n;
  };
  const example = (rng: Rng): { text: string; answerFrom: number } => {
    const a = number(rng),
      b = number(rng),
      plus = rng.uniform() < 0.5;
    const question = `${a}${plus ? '+' : '-'}${b}`;
    let text = '';
    for (const ch of question) {
      text += ch;
      const noise = rng.int(distractors + 1);
      for (let k = 0; k < noise; k++) text += CHARS[14 + rng.int(26)];
    }
    text += '=';
    return { text: `${text}${plus ? a + b : a - b}.`, answerFrom: text.length };
  };
  return {
    name: 'arith',
    description: `sum or difference of two numbers of up to ${digits} digits, with distractors`,
    input: { kind: 'tokens', vocab: CHARS.length },
    target: { kind: 'steps', classes: CHARS.length },
    metric: { name: 'accuracy', baseline: commonestShare(example), higherIsBetter: true },
    batch(rng: Rng, B: number): TaskBatch {
      const examples = Array.from({ length: B }, () => example(rng));
      // The input is the text without its last character; the target at step t is character t + 1.
      const lengths = examples.map((e) => e.text.length - 1);
      const T = Math.max(...lengths);
      const tokens = alloc('i32', T * B),
        targets = alloc('f64', T * B),
        mask = alloc('f64', T * B);
      examples.forEach((e, b) => {
        for (let t = 0; t < lengths[b]; t++) {
          tokens[t * B + b] = code(e.text[t]);
          targets[t * B + b] = code(e.text[t + 1]);
          if (t + 1 >= e.answerFrom) mask[t * B + b] = 1;
        }
      });
      return { T, B, tokens, lengths, targets, mask };
    },
    decode: (tokens) => Array.from(tokens, (t) => CHARS[t]).join(''),
  };
}

/** The share of the commonest answer character over 2,000 examples from a fixed seed. */
function commonestShare(example: (rng: Rng) => { text: string; answerFrom: number }): number {
  const rng = new Rng(12345);
  const counts = new Map<string, number>();
  let total = 0;
  for (let k = 0; k < 2000; k++) {
    const e = example(rng);
    for (const ch of e.text.slice(e.answerFrom)) {
      counts.set(ch, (counts.get(ch) ?? 0) + 1);
      total++;
    }
  }
  return Math.max(...counts.values()) / total;
}
