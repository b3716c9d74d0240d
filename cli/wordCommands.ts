// `rnnlab analogy --model FILE` and `rnnlab neighbors --model FILE --word W`: the word vectors
// of a wordlm run (the paper's U·w for the Elman network), judged by the syntactic analogy
// test built from Brown's tags (data/analogies.ts) beside random and LSA vectors of the same
// dimension on the same vocabulary, and the nearest words by cosine.
import { analogyPairs, analogyQuestions, END, loadBrown, UNKNOWN, wordTokens } from '../index.js';
import {
  loadWordModel,
  lsaVectors,
  nearestWords,
  randomVectors,
  scoreAnalogies,
  type WordVectors,
} from '../experiments/index.js';
import { UsageError } from './args.js';
import { commonOptions, type Command } from './command.js';
import { formatTable } from './table.js';

const specials = [END, UNKNOWN];

function modelVectors(path: string): WordVectors & { name: string } {
  const lm = loadWordModel(path);
  const { data, dim } = lm.wordVectors();
  return { words: lm.words, data, dim, name: lm.rnn.kind === 'rnn' ? 'RNN' : lm.rnn.kind.toUpperCase() };
}

export const analogyCommand: Command = {
  name: 'analogy',
  summary:
    "the syntactic analogy test (a : b :: c : ?) on a wordlm model's word vectors, beside random and LSA vectors",
  usage: '--model FILE [--json]',
  options: {
    model: { type: 'string', help: 'a model.safetensors (or run folder) written by train --task wordlm' },
    ...commonOptions,
  },
  run(options) {
    if (options.model === undefined) throw new UsageError('analogy: --model is required', '--model');
    const rnn = modelVectors(options.model as string);
    const splits = loadBrown('brown');
    const pairs = analogyPairs(splits.train, new Set(rnn.words));
    const questions = analogyQuestions(pairs);
    const rows: [string, WordVectors][] = [
      [`${rnn.name} (${rnn.dim})`, rnn],
      [`LSA (${rnn.dim})`, lsaVectors(rnn.words, wordTokens(splits.train, rnn.words), rnn.dim, 1)],
      [`random (${rnn.dim})`, randomVectors(rnn.words, rnn.dim, 1)],
    ];
    const scores = rows.map(([name, v]) => ({ name, ...scoreAnalogies(v, questions, specials) }));
    const columns = ['Adjectives', 'Nouns', 'Verbs', 'All'] as const;
    console.log(
      `${questions.length} questions from ${pairs.length} pairs of Brown's tags (${columns.map((c) => `${c} ${scores[0].questions[c]}`).join(', ')}); accuracy, 3CosAdd`,
    );
    console.log(
      formatTable(
        ['vectors', ...columns],
        scores.map((s) => [s.name, ...columns.map((c) => `${(100 * s.accuracy[c]).toFixed(1)}%`)]),
      ),
    );
    if (options.json)
      console.log(
        JSON.stringify({
          questions: scores[0].questions,
          rows: scores.map((s) => ({ name: s.name, accuracy: s.accuracy })),
        }),
      );
    return 0;
  },
};

export const neighborsCommand: Command = {
  name: 'neighbors',
  summary: "the words nearest to a word by the cosine of a wordlm model's word vectors",
  usage: '--model FILE --word W [--count N] [--json]',
  options: {
    model: { type: 'string', help: 'a model.safetensors (or run folder) written by train --task wordlm' },
    word: { type: 'string', help: "the word (lowercase; one of the model's vocabulary)" },
    count: { type: 'integer', min: 1, help: 'how many neighbours', default: 10 },
    ...commonOptions,
  },
  run(options) {
    if (options.model === undefined || options.word === undefined)
      throw new UsageError(
        'neighbors: --model and --word are required',
        options.model === undefined ? '--model' : '--word',
      );
    const count = options.count as number;
    const word = (options.word as string).toLowerCase();
    const near = nearestWords(modelVectors(options.model as string), word, count, specials);
    console.log(
      formatTable(
        ['word', 'cosine'],
        near.map((n) => [n.word, n.cosine.toFixed(3)]),
      ),
    );
    if (options.json) console.log(JSON.stringify({ word, neighbors: near }));
    return 0;
  },
};
