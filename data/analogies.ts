// A syntactic analogy test built from the Brown corpus's own tags, the way Mikolov, Yih &
// Zweig (2013) built theirs from part-of-speech-tagged text: pairs of frequent words in one
// relation, found by the regular English endings and confirmed by the tags the corpus gives
// each form; then every question a : b :: c : ? over two pairs of the same relation.
//
//   nouns       singular NN → plural NNS            (-s, -es, y → -ies)
//   verbs       base VB → past VBD                  (-ed, -d, y → -ied, a doubled consonant)
//               base VB → third person VBZ          (-s, -es, y → -ies)
//   adjectives  base JJ → comparative JJR           (-er, -r, y → -ier, a doubled consonant)
//               base JJ → superlative JJT           (-est, -st, y → -iest, a doubled consonant; Brown's JJT)
//
// Irregular forms (men, went, better) are left out: the endings find only regular pairs.
import type { Sentence } from './sentence.js';

export const relations = {
  'noun plural': { column: 'Nouns', from: 'nn', to: 'nns', endings: ['s', 'es', 'ies'] },
  'verb past': { column: 'Verbs', from: 'vb', to: 'vbd', endings: ['ed', 'd', 'ied', '+ed'] },
  'verb third person': { column: 'Verbs', from: 'vb', to: 'vbz', endings: ['s', 'es', 'ies'] },
  'adjective comparative': { column: 'Adjectives', from: 'jj', to: 'jjr', endings: ['er', 'r', 'ier', '+er'] },
  'adjective superlative': { column: 'Adjectives', from: 'jj', to: 'jjt', endings: ['est', 'st', 'iest', '+est'] },
} as const;
export type Relation = keyof typeof relations;
export const analogyColumns = ['Adjectives', 'Nouns', 'Verbs'] as const;

export interface AnalogyPair {
  relation: Relation;
  base: string;
  derived: string;
}
export interface AnalogyQuestion {
  relation: Relation;
  a: string;
  b: string;
  c: string;
  d: string;
}

/** The forms an ending makes of a word: 'ies' replaces a final y after a consonant; '+ed' doubles the last consonant. */
function derive(word: string, ending: string): string | null {
  const last = word.at(-1)!,
    before = word.at(-2) ?? '';
  const vowel = (ch: string) => 'aeiou'.includes(ch);
  if (ending.startsWith('i')) return last === 'y' && !vowel(before) ? word.slice(0, -1) + ending : null;
  if (ending.startsWith('+'))
    return !vowel(last) && vowel(before) && !'wxy'.includes(last) ? word + last + ending.slice(1) : null;
  if (ending === 'd' || ending === 'r' || ending === 'st') return last === 'e' ? word + ending : null;
  return word + ending;
}

/** How often each lowercased word carries each plain tag (title and headline variants left out). */
export function tagCounts(sentences: readonly Sentence[]): Map<string, Map<string, number>> {
  const counts = new Map<string, Map<string, number>>();
  for (const s of sentences)
    s.words.forEach((w, q) => {
      const word = w.toLowerCase(),
        tag = s.tags[q];
      let byTag = counts.get(word);
      if (byTag === undefined) counts.set(word, (byTag = new Map()));
      byTag.set(tag, (byTag.get(tag) ?? 0) + 1);
    });
  return counts;
}

/**
 * The pairs of each relation among `known` words, each form seen at least `minCount` times
 * with its tag; the `perRelation` pairs whose rarer form is most frequent.
 */
export function analogyPairs(
  sentences: readonly Sentence[],
  known: ReadonlySet<string>,
  perRelation = 40,
  minCount = 5,
): AnalogyPair[] {
  const counts = tagCounts(sentences);
  const seen = (word: string, tag: string) => counts.get(word)?.get(tag) ?? 0;
  return (Object.keys(relations) as Relation[]).flatMap((relation) => {
    const { from, to, endings } = relations[relation];
    const found: (AnalogyPair & { weight: number })[] = [];
    for (const base of known) {
      if (!/^[a-z]+$/.test(base) || seen(base, from) < minCount) continue;
      const derived = endings
        .map((e) => derive(base, e))
        .find((d) => d !== null && known.has(d) && seen(d, to) >= minCount);
      if (derived !== undefined && derived !== null)
        found.push({ relation, base, derived, weight: Math.min(seen(base, from), seen(derived, to)) });
    }
    found.sort((p, q) => q.weight - p.weight || (p.base < q.base ? -1 : 1));
    return found.slice(0, perRelation).map(({ relation: r, base, derived }) => ({ relation: r, base, derived }));
  });
}

/** Every question a : b :: c : d over two different pairs of the same relation. */
export function analogyQuestions(pairs: readonly AnalogyPair[]): AnalogyQuestion[] {
  const out: AnalogyQuestion[] = [];
  for (const p of pairs)
    for (const q of pairs) {
      if (p !== q && p.relation === q.relation)
        out.push({ relation: p.relation, a: p.base, b: p.derived, c: q.base, d: q.derived });
    }
  return out;
}
