// Word vectors through an RNN language model: the Brown word stream and its bigram baseline,
// the analogy test built from Brown's tags, 3CosAdd, the LSA baseline's SVD, and the CLI path
// (train --task wordlm, analogy, neighbors).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tensor } from '../core/index.js';
import {
  analogyPairs,
  analogyQuestions,
  BigramModel,
  END,
  loadBrown,
  UNKNOWN,
  wordTokens,
  wordVocabulary,
} from '../data/index.js';
import { scoreAnalogies, symmetricEigen, truncatedSvdRows } from '../experiments/index.js';
import { WordLM } from '../models/index.js';
import { repoRoot } from './helpers.js';

const brown = loadBrown('brown');
const vocabulary = wordVocabulary(brown.train, 5000);

test('the word stream: </s> and <unk> first, then the commonest words; unknown words are <unk>, sentences end in </s>', () => {
  assert.equal(vocabulary.slice(0, 4), [END, UNKNOWN, 'the', ',']);
  const tokens = wordTokens(
    [{ words: ['The', 'zyzzyva', 'said'], tags: ['at', 'nn', 'vbd'], category: 'ca', file: 'x' }],
    vocabulary,
  );
  assert.equal(
    [...tokens].map((t) => vocabulary[t]),
    ['the', UNKNOWN, 'said', END],
  );
});

test('the add-k bigram model is a distribution over the vocabulary for every previous word', () => {
  const m = BigramModel.count([0, 1, 2, 1, 2, 0], 3, 0.5);
  for (const prev of [0, 1, 2]) {
    const total = [0, 1, 2].reduce((s, next) => s + Math.exp(-m.nats([prev, next])), 0);
    assert.ok(Math.abs(total - 1) < 1e-12, `after ${prev}: ${total}`);
  }
});

test("the analogy test from Brown's tags: 145 pairs, 5,028 questions, regular forms only", () => {
  const pairs = analogyPairs(brown.train, new Set(vocabulary));
  const count = (r: string) => pairs.filter((p) => p.relation === r).length;
  assert.equal(
    [
      count('noun plural'),
      count('verb past'),
      count('verb third person'),
      count('adjective comparative'),
      count('adjective superlative'),
    ],
    [40, 40, 40, 18, 7],
  );
  const questions = analogyQuestions(pairs);
  assert.is(questions.length, 40 * 39 * 3 + 18 * 17 + 7 * 6);
  const has = (a: string, b: string, c: string, d: string) =>
    questions.some((q) => q.a === a && q.b === b && q.c === c && q.d === d);
  assert.ok(has('year', 'years', 'day', 'days'));
  assert.ok(has('try', 'tried', 'stop', 'stopped'), 'y → ied, and a doubled consonant');
  assert.ok(has('big', 'bigger', 'easy', 'easier'));
  assert.ok(has('large', 'largest', 'big', 'biggest'));
  assert.ok(!pairs.some((p) => p.base === 'man' || p.derived === 'went'), 'no irregular forms');
});

test('3CosAdd answers a : b :: c : ? by the nearest of b − a + c, never a, b or c', () => {
  const words = ['king', 'queen', 'man', 'woman', 'boy'];
  const data = [1, 1, 0, 1, -1, 0, 0, 1, 0, 0, -1, 0, 0.1, 1.1, 0.2];
  const score = scoreAnalogies({ words, data, dim: 3 }, [
    { relation: 'noun plural', a: 'man', b: 'king', c: 'woman', d: 'queen' },
  ]);
  assert.equal(score.answers, ['queen']);
  assert.is(score.accuracy.Nouns, 1);
  const excluded = scoreAnalogies({ words, data: [1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0], dim: 3 }, [
    { relation: 'noun plural', a: 'king', b: 'queen', c: 'man', d: 'woman' },
  ]);
  assert.not.equal(excluded.answers[0], 'king');
});

test('the SVD behind LSA: Jacobi eigenpairs, and rows of U_k Σ_k of a symmetric matrix whose products give A²', () => {
  const { values, W } = symmetricEigen([2, 1, 1, 2], 2);
  assert.equal([...values].map((v) => Math.round(v * 1e9) / 1e9).sort(), [1, 3]);
  assert.ok(Math.abs(Math.abs(W[0]) - Math.SQRT1_2) < 1e-9);
  const n = 40,
    k = 3,
    X = new Float32Array(n * k).map((_, q) => Math.sin(q * 1.3) + (q % 5) / 4);
  const A = Tensor.zeros([n, n], 'f32');
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) for (let c = 0; c < k; c++) A.data[i * n + j] += X[i * k + c] * X[j * k + c];
  const rows = truncatedSvdRows(A, k, 1);
  let worst = 0,
    scale = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let a2 = 0,
        us = 0;
      for (let r = 0; r < n; r++) a2 += A.data[i * n + r] * A.data[r * n + j];
      for (let c = 0; c < k; c++) us += rows[i * k + c] * rows[j * k + c];
      worst = Math.max(worst, Math.abs(a2 - us));
      scale = Math.max(scale, Math.abs(a2));
    }
  assert.ok(worst < 1e-4 * scale, `worst ${worst} of ${scale}`);
});

test("the Elman model's word vector of w is U·w: its embedding row times the cell's input weights", () => {
  const lm = new WordLM({
    words: ['</s>', '<unk>', 'a', 'b'],
    layer: { cell: 'rnn', hiddenSize: 3, nonlinearity: 'sigmoid' },
    embeddingDim: 2,
    dtype: 'f64',
    seed: 4,
  });
  const { data, dim } = lm.wordVectors();
  assert.is(dim, 3);
  const E = lm.embedding.E.data,
    W = lm.store.get('rnn.l0.W').data;
  for (let w = 0; w < 4; w++)
    for (let j = 0; j < 3; j++) {
      assert.ok(Math.abs(data[w * 3 + j] - (E[w * 2] * W[j] + E[w * 2 + 1] * W[3 + j])) < 1e-15);
    }
});

test("a word model's evaluation reads 5,000 classes in shorter chunks, and the chunk does not change the result", () => {
  const lm = new WordLM({ words: vocabulary, layer: { cell: 'lstm', hiddenSize: 6 }, dtype: 'f64', seed: 3 });
  const tokens = wordTokens(brown.dev.slice(0, 120), vocabulary).slice(0, 16 * 130);
  const asked = lm.evaluateTokens(tokens, 200, 16),
    stepByStep = lm.evaluateTokens(tokens, 1, 16),
    odd = lm.evaluateTokens(tokens, 17, 16);
  assert.ok(
    Math.abs(asked - stepByStep) < 1e-12 && Math.abs(odd - stepByStep) < 1e-12,
    `${asked}, ${odd}, ${stepByStep}`,
  );
  assert.ok(Math.abs(asked - Math.log(vocabulary.length)) < 0.5, `about log 5000 nats untrained: ${asked}`);
});

test("train --task wordlm reports perplexity beside the bigram model's; analogy and neighbors read its model", () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-wordlm-'));
  try {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [join(repoRoot, 'dist/cli/main.js'), ...args], { encoding: 'utf8', cwd: repoRoot });
    const path = join(dir, 'w.safetensors');
    const t = cli(
      'train',
      '--task',
      'wordlm',
      '--hidden',
      '8',
      '--batch',
      '4',
      '--steps',
      '2',
      '--eval-every',
      '0',
      '--runs',
      dir,
      '--save',
      path,
      '--json',
    );
    assert.is(t.status, 0, t.stderr);
    const r = JSON.parse(t.stdout.trim().split('\n').at(-1)!);
    assert.is(r.metric, 'perplexity');
    assert.ok(r.baseline > 100 && r.baseline < 160, `bigram test perplexity ${r.baseline}`);
    const a = cli('analogy', '--model', path, '--json');
    assert.is(a.status, 0, a.stderr);
    const table = JSON.parse(a.stdout.trim().split('\n').at(-1)!);
    assert.equal(
      table.rows.map((row: { name: string }) => row.name),
      ['RNN (8)', 'LSA (8)', 'random (8)'],
    );
    assert.is(table.questions.All, 5028);
    const n = cli('neighbors', '--model', path, '--word', 'Year', '--count', '3', '--json');
    assert.is(n.status, 0, n.stderr);
    assert.is(JSON.parse(n.stdout.trim().split('\n').at(-1)!).neighbors.length, 3);
    const bad = cli('neighbors', '--model', path, '--word', 'zyzzyva', '--json');
    assert.is(bad.status, 1);
    assert.match(bad.stdout, /'zyzzyva' is not in the model's vocabulary of 5000 words/);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test.run();
