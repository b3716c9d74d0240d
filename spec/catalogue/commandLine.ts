// The catalogue's command-line cases from its first rounds: flags, stdin, files, resumes.
import { join } from 'node:path';
import type { CliCase } from './types.js';
import { dir, emptyDir, runsDir, savedRun } from './fixtures.js';

export const commandLineCases: CliCase[] = [
  { what: 'negative clip', args: ['train', '--task', 'adding', '--clip', '-1'], code: 2, parts: ['--clip', 'a number ≥ 0', "got '-1'"], argument: '--clip' },
  { what: 'negative minutes', args: ['train', '--task', 'adding', '--minutes', '-2'], code: 2, parts: ['--minutes', 'a number ≥ 0', "got '-2'"], argument: '--minutes' },
  { what: 'fractional hidden', args: ['train', '--task', 'adding', '--hidden', '2.5'], code: 2, parts: ['--hidden', 'an integer ≥ 1', "got '2.5'"], argument: '--hidden' },
  { what: 'unknown task', args: ['train', '--task', 'parity'], code: 2, parts: ['--task', 'one of adding, copy', "got 'parity'"], argument: '--task' },
  { what: 'unknown cell', args: ['train', '--task', 'adding', '--cell', 'elman'], code: 2, parts: ['--cell', 'one of rnn, lstm, gru', "got 'elman'"], argument: '--cell' },
  { what: 'a flag the task does not take', args: ['train', '--task', 'adding', '--tagset', 'brown'], code: 2, parts: ['--tagset', 'does not apply to', 'the adding task'], argument: '--tagset' },
  { what: 'a missing --save folder', args: ['train', '--task', 'adding', '--save', join(dir, 'no', 'm.safetensors'), '--runs', runsDir], code: 2, parts: ['--save', join(dir, 'no'), 'does not exist'], argument: '--save' },
  { what: 'a --save that is a folder', args: ['train', '--task', 'adding', '--save', dir, '--runs', runsDir], code: 2, parts: ['--save', 'a file name', 'is a folder'], argument: '--save' },
  { what: 'negative --save-every', args: ['train', '--task', 'adding', '--save-every', '-5'], code: 2, parts: ['--save-every', 'an integer ≥ 0', "got '-5'"], argument: '--save-every' },
  { what: '--task and --resume', args: ['train', '--task', 'adding', '--resume', 'x.safetensors'], code: 2, parts: ['--task or --resume', 'not both', 'keeps its task'], argument: '--task' },
  { what: 'resume with another cell', args: ['train', '--resume', savedRun.path, '--cell', 'gru', '--steps', '9', '--runs', runsDir], code: 2, parts: ['--cell gru', "the checkpoint's lstm", 'keeps its model'], argument: '--cell' },
  { what: 'resume to a step already done', args: ['train', '--resume', savedRun.path, '--steps', '1', '--runs', runsDir], code: 2, parts: ['--steps', 'more than the 1 steps the checkpoint has done', 'got 1'], argument: '--steps' },
  { what: 'resume a missing file', args: ['train', '--resume', join(dir, 'none.safetensors')], code: 1, parts: ['path', 'an existing file or run folder', 'none.safetensors'] },
  { what: 'a stray positional argument', args: ['tag', '--model', savedRun.path, 'file.txt'], code: 2, parts: ['tag', 'takes no positional arguments', "'file.txt'"], argument: 'file.txt' },
  { what: 'tag without a model', args: ['tag'], stdin: 'The jury said\n', code: 2, parts: ['--model', 'is required', 'tag'], argument: '--model' },
  { what: 'tag with a memory-task checkpoint', args: ['tag', '--model', savedRun.path], stdin: 'The jury said\n', code: 1, parts: ['run.safetensors', 'not a pos model', 'holds a adding model'] },
  { what: 'sample from a text file', args: ['sample', '--model', join(dir, 'notes.txt')], code: 1, parts: ['notes.txt', 'is not a .safetensors file', 'header'] },
  { what: 'sample from a folder without a model', args: ['sample', '--model', emptyDir], code: 1, parts: [emptyDir, 'a folder without a model.safetensors', 'run folder'] },
  { what: 'sample at temperature 0', args: ['sample', '--model', savedRun.path, '--temperature', '0'], code: 1, parts: ['run.safetensors', 'not a chars model', 'adding'] },
  { what: 'golden on an empty folder', args: ['golden', emptyDir], code: 2, parts: [emptyDir, 'holds no case files', 'give a folder of reference cases'], argument: emptyDir },
  { what: 'golden on a missing path', args: ['golden', join(dir, 'none')], code: 2, parts: ['golden', 'no such file or directory', join(dir, 'none')], argument: join(dir, 'none') },
  { what: 'golden without files', args: ['golden'], code: 2, parts: ['golden', 'give one or more case files or folders', 'spec/fixtures/golden'] },
  { what: 'bench --only matching nothing', args: ['bench', '--quick', '--only', 'nothing-like-this'], code: 2, parts: ['--only', "'nothing-like-this' matches no case", 'the cases are named like'], argument: '--only' },
  { what: 'gradcheck --op matching nothing', args: ['gradcheck', '--op', 'nothing-like-this'], code: 2, parts: ['--op', 'no case name contains', "'nothing-like-this'"], argument: '--op' },
  { what: 'an unknown option', args: ['gradcheck', '--nope'], code: 2, parts: ['--nope', 'unknown option', "see 'rnnlab gradcheck --help'"], argument: '--nope' },
  { what: 'an unknown dtype', args: ['gradcheck', '--dtype', 'f16'], code: 2, parts: ['--dtype', 'one of f64, f32, both', "got 'f16'"], argument: '--dtype' },
  { what: 'a number that is not one', args: ['vanish', '--length', 'ten'], code: 2, parts: ['--length', 'an integer ≥ 2, written in decimal digits', "got 'ten'"], argument: '--length' },
  { what: 'a length too short to vanish', args: ['vanish', '--length', '1'], code: 2, parts: ['--length', 'an integer ≥ 2', "got '1'"], argument: '--length' },
  { what: 'a flag given a value', args: ['train', '--bidirectional=yes'], code: 2, parts: ['--bidirectional', 'takes no value', "got 'yes'"], argument: '--bidirectional' },
  { what: 'an option without its value', args: ['train', '--task'], code: 2, parts: ['--task', 'needs a value', 'train'], argument: '--task' },
];
