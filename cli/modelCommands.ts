// Commands that use a saved model: `tag` (a pos model) and `sample` (a chars model).
import { readFileSync } from 'node:fs';
import { loadCharModel, loadTagger } from '../experiments/index.js';
import { UsageError } from './args.js';
import { commonOptions, type Command } from './command.js';

export const tagCommand: Command = {
  name: 'tag',
  summary: 'part-of-speech tag whitespace-tokenised sentences (one per line on stdin) with a saved pos model',
  usage: '--model FILE [--json] < sentences.txt',
  options: {
    model: { type: 'string', help: 'a model.safetensors written by train --task pos' },
    ...commonOptions,
  },
  run(options) {
    if (options.model === undefined) throw new UsageError('tag: --model is required', '--model');
    const tagger = loadTagger(options.model as string);
    const lines = readFileSync(0, 'utf8')
      .split('\n')
      .map((l) =>
        l
          .trim()
          .split(/\s+/)
          .filter((w) => w !== ''),
      )
      .filter((ws) => ws.length > 0);
    const tags = lines.length === 0 ? [] : tagger.tag(lines);
    lines.forEach((words, q) => console.log(words.map((w, t) => `${w}/${tags[q][t]}`).join(' ')));
    if (options.json)
      console.log(
        JSON.stringify({ sentences: lines.length, tokens: lines.reduce((n, l) => n + l.length, 0), tags: tags }),
      );
    return 0;
  },
};

export const sampleCommand: Command = {
  name: 'sample',
  summary: 'generate text from a saved chars model',
  usage: '--model FILE [--length N] [--temperature T] [--top-k K] [--prime TEXT] [--seed N] [--json]',
  options: {
    model: { type: 'string', help: 'a model.safetensors written by train --task chars' },
    length: { type: 'integer', min: 1, help: 'characters to generate', default: 300 },
    temperature: {
      type: 'real',
      min: 0,
      help: 'below 1 sharpens the distribution, above 1 flattens it; 0 always takes the likeliest character (greedy)',
      default: 1,
    },
    'top-k': { type: 'integer', min: 0, help: 'sample only among the k likeliest characters (0: all)', default: 0 },
    prime: { type: 'string', help: 'text to read first; the sample continues it', default: 'The ' },
    seed: { type: 'integer', min: 0, help: 'the same seed gives the same text', default: 1 },
    ...commonOptions,
  },
  run(options) {
    if (options.model === undefined) throw new UsageError('sample: --model is required', '--model');
    const lm = loadCharModel(options.model as string);
    const topK = options['top-k'] as number;
    const text = lm.sample({
      length: options.length as number,
      temperature: options.temperature as number,
      prime: options.prime as string,
      topK: topK === 0 ? lm.vocab : topK,
      seed: options.seed as number,
    });
    console.log(text);
    if (options.json) console.log(JSON.stringify({ text }));
    return 0;
  },
};
