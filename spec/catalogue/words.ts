// Issue 20, classes 3 and 5, on the command line: a flag the task's model cannot honour is a
// usage error, and errors name the user's flags (--cell, --hidden) and the memory a size
// would take, not the library's internals; a checkpoint's values pass the constructor's checks.
import type { CliCase } from './types.js';
import { changedCheckpoint, dir, runsDir, savedRun } from './fixtures.js';

const usage = (what: string, args: string[], argument: string, parts: string[]): CliCase => ({
  what,
  args,
  code: 2,
  parts: [argument, ...parts],
  argument,
});
const lrMinus5 = changedCheckpoint('cli-lr.safetensors', (_t, m) => {
  m.optimizer = JSON.stringify({ ...JSON.parse(m.optimizer), lr: -5 });
});

export const wordCases: CliCase[] = [
  usage('a bidirectional spelling model', ['train', '--task', 'spell', '--bidirectional'], '--bidirectional', [
    'does not apply to the spell task',
    'its model reads one way only',
  ]),
  usage('a bidirectional word language model', ['train', '--task', 'wordlm', '--bidirectional'], '--bidirectional', [
    'does not apply to the wordlm task',
    'its model reads one way only',
  ]),
  usage('a bidirectional character model', ['train', '--task', 'chars', '--bidirectional'], '--bidirectional', [
    'does not apply to the chars task',
    'its model reads one way only',
  ]),
  usage('a concatenated genre model', ['train', '--task', 'genre', '--concatenated'], '--concatenated', [
    'does not apply to the genre task',
    'built unidirectional or bidirectional',
  ]),
  usage('two layer forms at once', ['train', '--task', 'pos', '--bidirectional', '--concatenated'], '--concatenated', [
    'give one of --bidirectional, --unidirectional and --concatenated',
  ]),
  usage('MUT1 on the adding task', ['train', '--task', 'adding', '--cell', 'mut1'], '--cell', [
    'mut1 adds x_t to the hidden state',
    '--hidden (32) features',
    "the adding task's input has 2 per step",
    "got 'mut1'",
  ]),
  usage('MUT1 on word features', ['train', '--task', 'pos', '--cell', 'mut1', '--hidden', '16'], '--cell', [
    '--hidden (16) features',
    "the pos task's input has 104 per step",
  ]),
  usage(
    'stacked bidirectional MUT2',
    ['train', '--task', 'copy', '--cell', 'mut2', '--bidirectional', '--layers', '2'],
    '--cell',
    ['with --layers 2 and bidirectional', 'read both directions'],
  ),
  usage('MUT1 in a comparison on the adding task', ['compare', '--task', 'adding', '--cells', 'gru,mut1'], '--cells', [
    'mut1 adds x_t to the hidden state',
    '--hidden (64) features',
    "got 'mut1'",
  ]),
  usage(
    'MUT2 in a span on the adding task',
    ['span', '--task', 'adding', '--cells', 'mut2', '--lengths', '10'],
    '--cells',
    ['mut2 adds x_t', "the adding task's input has 2 per step"],
  ),
  usage(
    'a model too large to allocate',
    ['train', '--task', 'adding', '--hidden', '33000', '--runs', runsDir],
    '--hidden',
    ['17.4 GB in one buffer', 'more than this process can allocate', 'lower --hidden, --layers, --batch'],
  ),
  usage(
    'a comparison too large to allocate',
    ['compare', '--task', 'adding', '--cells', 'gru', '--hidden', '40000', '--runs', runsDir],
    '--hidden',
    ['19.2 GB in one buffer', 'more than this process can allocate'],
  ),
  usage('a folder as the text to colour', ['cells', '--model', savedRun.path, '--text', dir], '--text', [
    dir,
    'is a folder; give a text file',
  ]),
  usage('a missing text to colour', ['cells', '--model', savedRun.path, '--text', `${dir}/none.txt`], '--text', [
    'none.txt does not exist',
  ]),
  {
    what: 'resume a checkpoint whose optimizer rate is negative',
    args: ['train', '--resume', lrMinus5, '--steps', '9', '--runs', runsDir],
    code: 1,
    parts: ['cli-lr.safetensors', "its optimizer's lr must be a finite number ≥ 0", 'got -5', 'nothing was loaded'],
  },
];
