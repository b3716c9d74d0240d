// A synthetic text whose structure is known character by character: words, spans in straight
// quotes, and nested brackets, ( ) and [ ], broken into lines. A character model that learns
// it must remember whether a quote is open (to close it), which brackets are open and in
// what order (to close them in turn), and how long the line is (to break it): the features
// of experiments/textFeatures.ts, which a unit of a trained model can be found to track.
//
//   the cat "saw a dog" near ( the [ old ] house ) and ...
import type { Rng } from '../core/index.js';

const words = [
  'the',
  'a',
  'cat',
  'dog',
  'saw',
  'ran',
  'old',
  'red',
  'house',
  'tree',
  'and',
  'near',
  'said',
  'big',
  'sun',
  'hill',
  'sat',
  'on',
  'by',
  'it',
];
/** Lines break at the first word boundary past this many characters. */
const lineLength = 48;
const maxDepth = 3;

/** `length` characters of the text, the same for the same generator state. */
export function quotesText(rng: Rng, length: number): string {
  let out = '',
    line = 0;
  const emit = (piece: string) => {
    if (line > 0 && line + piece.length + 1 > lineLength) {
      out += '\n';
      line = 0;
    } else if (line > 0) {
      out += ' ';
      line++;
    }
    out += piece;
    line += piece.length;
  };
  const word = () => words[rng.int(words.length)];
  const phrase = (depth: number): void => {
    const u = rng.uniform();
    if (u < 0.15) {
      const n = 1 + rng.int(4);
      emit('"' + Array.from({ length: n }, word).join(' ') + '"');
    } else if (u < 0.3 && depth < maxDepth) {
      const [open, close] = rng.uniform() < 0.5 ? ['(', ')'] : ['[', ']'];
      emit(open);
      for (let n = 1 + rng.int(3); n > 0; n--) phrase(depth + 1);
      emit(close);
    } else emit(word());
  };
  while (out.length < length) phrase(0);
  return out.slice(0, length);
}
