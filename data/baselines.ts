// What a model must beat on the Brown corpus, computed from the data alone, and the text
// views of it the character model reads.
import type { BrownSplits, Sentence } from './sentence.js';

/** Most frequent tag per word (unknown words: the commonest tag overall), scored on the test split. */
export function mostFrequentTagAccuracy(splits: BrownSplits): number {
  const counts = new Map<string, Map<string, number>>(),
    overall = new Map<string, number>();
  for (const s of splits.train)
    s.words.forEach((w, q) => {
      const tag = s.tags[q];
      if (!counts.has(w)) counts.set(w, new Map());
      counts.get(w)!.set(tag, (counts.get(w)!.get(tag) ?? 0) + 1);
      overall.set(tag, (overall.get(tag) ?? 0) + 1);
    });
  const best = (m: Map<string, number>) =>
    [...m].reduce((a, b) => (b[1] > a[1] || (b[1] === a[1] && b[0] < a[0]) ? b : a))[0];
  const commonest = best(overall);
  const guess = new Map([...counts].map(([w, m]) => [w, best(m)]));
  let right = 0,
    total = 0;
  for (const s of splits.test)
    s.words.forEach((w, q) => {
      total++;
      if ((guess.get(w) ?? commonest) === s.tags[q]) right++;
    });
  return right / total;
}

/** The commonest category among the training sentences, and its share of the test sentences. */
export function majorityCategory(splits: BrownSplits): { category: string; testShare: number } {
  const counts = new Map<string, number>();
  for (const s of splits.train) counts.set(s.category, (counts.get(s.category) ?? 0) + 1);
  const category = [...counts].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  return { category, testShare: splits.test.filter((s) => s.category === category).length / splits.test.length };
}

/** Lower-cased words seen at least minCount times in training, after '<unk>' (index 0). */
export function frequentWords(train: readonly Sentence[], minCount: number): string[] {
  const counts = new Map<string, number>();
  for (const s of train) for (const w of s.words) counts.set(w.toLowerCase(), (counts.get(w.toLowerCase()) ?? 0) + 1);
  return [
    '<unk>',
    ...[...counts]
      .filter(([, c]) => c >= minCount)
      .map(([w]) => w)
      .sort(),
  ];
}

/** The raw text of sentences: words joined by spaces, one sentence per line. */
export function rawText(sentences: readonly Sentence[]): string {
  return sentences.map((s) => s.words.join(' ')).join('\n') + '\n';
}

/** Cross-entropy in bits of `text` under the character frequencies of `train`. */
export function unigramBits(train: string, text: string): number {
  const counts = new Map<string, number>();
  for (const ch of train) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const ch of text) bits -= Math.log2(counts.get(ch)! / train.length);
  return bits / text.length;
}
