// Word vectors and how to judge them: the syntactic analogy test answered by 3CosAdd, the
// nearest words by cosine, and the two baselines at the same dimension on the same corpus:
// random vectors, and LSA (a truncated SVD of the log word co-occurrence counts).
//
//   3CosAdd: unit-normalise every vector; for a : b :: c : ?, y = x_b − x_a + x_c, and the
//   answer is the word of greatest cos(y, x_w) other than a, b and c.
import { ops, Rng, Tensor } from '../core/index.js';
import { analogyColumns, relations, type AnalogyQuestion } from '../data/index.js';

/** Vectors of a vocabulary: row w of `data` ([words.length · dim]) is the vector of words[w]. */
export interface WordVectors {
  words: readonly string[];
  data: ArrayLike<number>;
  dim: number;
}

/** The rows scaled to unit length (a zero row stays zero), as float32 for the products. */
function unitRows(v: WordVectors): Float32Array {
  const out = new Float32Array(v.words.length * v.dim);
  for (let w = 0; w < v.words.length; w++) {
    let norm = 0;
    for (let j = 0; j < v.dim; j++) norm += v.data[w * v.dim + j] ** 2;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < v.dim; j++) out[w * v.dim + j] = v.data[w * v.dim + j] * scale;
  }
  return out;
}

export interface AnalogyScore {
  /** Share answered right per column (Adjectives, Nouns, Verbs) and over All, with the counts. */
  accuracy: Record<'Adjectives' | 'Nouns' | 'Verbs' | 'All', number>;
  questions: Record<'Adjectives' | 'Nouns' | 'Verbs' | 'All', number>;
  /** The answer given to each question. */
  answers: string[];
}

/** Answer every question by 3CosAdd over all words but `excluded` (</s>, <unk>) and the question's own three. */
export function scoreAnalogies(
  vectors: WordVectors,
  questions: readonly AnalogyQuestion[],
  excluded: readonly string[] = [],
): AnalogyScore {
  const { words, dim } = vectors,
    V = words.length;
  const index = new Map(words.map((w, q) => [w, q]));
  const unit = unitRows(vectors);
  // The unit vectors as columns, [dim, V], so that one product scores a block of questions against every word.
  const columns = Tensor.zeros([dim, V], 'f32');
  for (let w = 0; w < V; w++) for (let j = 0; j < dim; j++) columns.data[j * V + w] = unit[w * dim + j];
  const banned = excluded.map((w) => index.get(w)).filter((q): q is number => q !== undefined);
  const answers: string[] = [];
  const block = 256;
  for (let from = 0; from < questions.length; from += block) {
    const part = questions.slice(from, from + block);
    const y = Tensor.zeros([part.length, dim], 'f32');
    part.forEach((q, r) => {
      const [a, b, c] = [q.a, q.b, q.c].map((w) => index.get(w)!);
      for (let j = 0; j < dim; j++) y.data[r * dim + j] = unit[b * dim + j] - unit[a * dim + j] + unit[c * dim + j];
    });
    const scores = ops.matmul(null, y, columns).data;
    part.forEach((q, r) => {
      const skip = new Set([...banned, ...[q.a, q.b, q.c].map((w) => index.get(w)!)]);
      let best = -1,
        bestScore = -Infinity;
      for (let w = 0; w < V; w++)
        if (!skip.has(w) && scores[r * V + w] > bestScore) [best, bestScore] = [w, scores[r * V + w]];
      answers.push(words[best]);
    });
  }
  const accuracy = { Adjectives: 0, Nouns: 0, Verbs: 0, All: 0 },
    counts = { Adjectives: 0, Nouns: 0, Verbs: 0, All: 0 };
  questions.forEach((q, k) => {
    const column = relations[q.relation].column,
      right = answers[k] === q.d ? 1 : 0;
    for (const c of [column, 'All'] as const) {
      accuracy[c] += right;
      counts[c]++;
    }
  });
  for (const c of [...analogyColumns, 'All'] as const) accuracy[c] = counts[c] === 0 ? 0 : accuracy[c] / counts[c];
  return { accuracy, questions: counts, answers };
}

/** The `count` words nearest to `word` by cosine, with their cosines. */
export function nearestWords(
  vectors: WordVectors,
  word: string,
  count = 10,
  excluded: readonly string[] = [],
): { word: string; cosine: number }[] {
  const at = vectors.words.indexOf(word);
  if (at < 0) throw new Error(`neighbors: '${word}' is not in the model's vocabulary of ${vectors.words.length} words`);
  const unit = unitRows(vectors),
    { dim } = vectors;
  const out: { word: string; cosine: number }[] = [];
  vectors.words.forEach((w, q) => {
    if (q === at || excluded.includes(w)) return;
    let dot = 0;
    for (let j = 0; j < dim; j++) dot += unit[q * dim + j] * unit[at * dim + j];
    out.push({ word: w, cosine: dot });
  });
  return out.sort((a, b) => b.cosine - a.cosine).slice(0, count);
}

/** Gaussian random vectors of the same shape: the floor any method must clear. */
export function randomVectors(words: readonly string[], dim: number, seed: number): WordVectors {
  const data = new Float64Array(words.length * dim);
  new Rng(seed).fillNormal(data, 0, 1);
  return { words, data, dim };
}
