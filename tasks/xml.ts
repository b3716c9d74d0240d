// The XML modelling task of Jozefowicz, Zaremba & Sutskever (2015): next-character
// prediction on randomly nested tags such as "<dc><abe></abe><e></e></dc>". Opening tags are
// unpredictable; every closing tag is determined by the nesting so far, which is what a
// model with memory can learn. Metric: bits per character over the whole stream; baseline:
// the entropy of the character frequencies (a unigram model).
import { ArgumentError, alloc, Rng } from '../core/index.js';
import type { Task, TaskBatch } from './task.js';

const CHARS = '<>/abcdefghij';
const LETTERS = 10;

/** A random document: a tag of 1–3 letters holding up to 3 children, nested to depth maxDepth. */
function element(rng: Rng, depth: number, maxDepth: number): string {
  let name = '';
  const length = 1 + rng.int(3);
  for (let k = 0; k < length; k++) name += CHARS[3 + rng.int(LETTERS)];
  let inner = '';
  if (depth < maxDepth) {
    const children = rng.int(4);
    for (let k = 0; k < children; k++) inner += element(rng, depth + 1, maxDepth);
  }
  return `<${name}>${inner}</${name}>`;
}

export function xmlTask(T: number, maxDepth = 4): Task {
  if (!Number.isInteger(T) || T < 2) throw new ArgumentError('xml', 'the sequence length', 'an integer ≥ 2', T);
  const stream = (rng: Rng) => {
    let text = '';
    while (text.length < T + 1) text += element(rng, 1, maxDepth);
    return text.slice(0, T + 1);
  };
  return {
    name: 'xml',
    description: `next character in ${T} characters of randomly nested tags`,
    input: { kind: 'tokens', vocab: CHARS.length },
    target: { kind: 'steps', classes: CHARS.length },
    metric: { name: 'bpc', baseline: unigramBits(stream), higherIsBetter: false },
    batch(rng: Rng, B: number): TaskBatch {
      const tokens = alloc('i32', T * B), targets = alloc('f64', T * B);
      for (let b = 0; b < B; b++) {
        const text = stream(rng);
        for (let t = 0; t < T; t++) {
          tokens[t * B + b] = CHARS.indexOf(text[t]);
          targets[t * B + b] = CHARS.indexOf(text[t + 1]);
        }
      }
      return { T, B, tokens, targets };
    },
    decode: (tokens) => Array.from(tokens, (t) => CHARS[t]).join(''),
  };
}

/** Entropy in bits of the character frequencies of 200 generated streams (a fixed seed, so the baseline is one number). */
function unigramBits(stream: (rng: Rng) => string): number {
  const counts = new Map<string, number>();
  let total = 0;
  const rng = new Rng(12345);
  for (let k = 0; k < 200; k++) {
    for (const ch of stream(rng)) {
      counts.set(ch, (counts.get(ch) ?? 0) + 1);
      total++;
    }
  }
  let bits = 0;
  for (const c of counts.values()) bits -= (c / total) * Math.log2(c / total);
  return bits;
}
