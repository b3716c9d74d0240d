// The XML modelling task of Jozefowicz, Zaremba & Sutskever (2015): next-character
// prediction in a synthetic stream of nested tags, such as "<qk><mtzwa></mtzwa><pe></pe>".
// Tag names are 2–10 random lowercase letters; at each tag boundary a new tag opens with
// probability 1/2, and otherwise the innermost open tag closes (a tag opens when none is
// open). Opening tags are noise; a closing tag is determined, from its "</" on, by the
// nesting so far, which only a model that remembers the open tags can predict.
//
// The loss is next-character cross-entropy at every step; the measure is the accuracy on
// the determined characters, the name and ">" of each closing tag (the characters after
// "</"). Baseline: the best guesser that knows the format but not the open tags (below).
import { ArgumentError, alloc, Rng } from '../core/index.js';
import type { Task, TaskBatch } from './task.js';

const CHARS = '<>/abcdefghijklmnopqrstuvwxyz';
const LETTERS = 26;

/** A stream of T + 1 characters, and for each character whether it is determined (part of a closing tag after "</"). */
function stream(rng: Rng, T: number): { text: string; determined: boolean[] } {
  let text = '';
  const determined: boolean[] = [];
  const open: string[] = [];
  const put = (s: string, known: boolean) => {
    text += s;
    for (let k = 0; k < s.length; k++) determined.push(known);
  };
  while (text.length < T + 1) {
    if (open.length > 0 && rng.uniform() < 0.5) {
      put('</', false);
      put(`${open.pop()}>`, true);
    } else {
      let name = '';
      const length = 2 + rng.int(9);
      for (let k = 0; k < length; k++) name += CHARS[3 + rng.int(LETTERS)];
      open.push(name);
      put(`<${name}>`, false);
    }
  }
  return { text: text.slice(0, T + 1), determined: determined.slice(0, T + 1) };
}

export function xmlTask(T: number): Task {
  if (!Number.isInteger(T) || T < 2) throw new ArgumentError('xml', 'the sequence length', 'an integer ≥ 2', T);
  return {
    name: 'xml',
    description: `next character in ${T} characters of nested tags, scored on the closing tags`,
    input: { kind: 'tokens', vocab: CHARS.length },
    target: { kind: 'steps', classes: CHARS.length },
    metric: { name: 'accuracy', baseline: memorylessAccuracy(T), higherIsBetter: true },
    batch(rng: Rng, B: number): TaskBatch {
      const tokens = alloc('i32', T * B),
        targets = alloc('f64', T * B),
        scored = alloc('f64', T * B);
      for (let b = 0; b < B; b++) {
        const { text, determined } = stream(rng, T);
        for (let t = 0; t < T; t++) {
          tokens[t * B + b] = CHARS.indexOf(text[t]);
          targets[t * B + b] = CHARS.indexOf(text[t + 1]);
          if (determined[t + 1]) scored[t * B + b] = 1;
        }
      }
      return { T, B, tokens, targets, scored };
    },
    decode: (tokens) => Array.from(tokens, (t) => CHARS[t]).join(''),
  };
}

/**
 * Expected accuracy, on the scored characters of 200 streams from a fixed seed, of the best
 * guesser that sees the closing tag so far but not the open tags: within a name's first two
 * letters it guesses a letter (right 1/26 of the time); after them, ">" is likelier than
 * any one letter (the chance a name of 2–10 letters ends there is at least 1/9), so it says
 * ">", and is right only where the name does end.
 */
function memorylessAccuracy(T: number): number {
  const rng = new Rng(12345);
  let right = 0,
    total = 0;
  for (let k = 0; k < 200; k++) {
    const { text, determined } = stream(rng, T);
    let letters = 0;
    for (let t = 1; t <= T; t++) {
      if (!determined[t]) {
        letters = 0;
        continue;
      }
      total++;
      if (letters < 2) right += 1 / LETTERS;
      else if (text[t] === '>') right += 1;
      letters = text[t] === '>' ? 0 : letters + 1;
    }
  }
  return total === 0 ? 0 : right / total;
}
