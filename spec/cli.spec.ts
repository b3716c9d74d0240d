import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { repoRoot } from './helpers.js';
import { getBackend } from '../index.js';
import { runKinds } from '../experiments/index.js';
import { opCases } from '../checks/opCases.js';
import { cellCases } from '../checks/cellCases.js';

const cli = join(repoRoot, 'dist/cli/main.js');
function rnnlab(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: repoRoot });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const lastJson = (out: string) => JSON.parse(out.trim().split('\n').at(-1)!);

test('gradcheck --json: every op and cell passes in float64 with relative error under 1e-6', () => {
  const r = rnnlab('gradcheck', '--dtype', 'f64', '--json');
  assert.is(r.code, 0, r.err);
  const report = lastJson(r.out);
  assert.is(report.failed, 0);
  assert.is(report.ops.length, opCases.length + cellCases.length);
  for (const op of report.ops) {
    assert.equal(Object.keys(op), ['name', 'dtype', 'errorToBound', 'maxRelErr', 'ok']);
    assert.ok(op.ok && op.maxRelErr < 1e-6, `${op.name}: ${op.maxRelErr}`);
  }
  assert.match(r.out, /^case\s+dtype\s+worst \|a−n\| \/ \(atol \+ rtol·\|n\|\)\s+bounds\s+result \(pass: ≤ 1\)/m);
});

test("train --help states every task's default of each setting as the runs use it (wordlm's and spell's too)", () => {
  const r = rnnlab('train', '--help');
  assert.is(r.code, 0, r.err);
  const lineOf = (flag: string) => r.out.split('\n').find((l) => l.trimStart().startsWith(`--${flag} `))!;
  const flags: [string, keyof (typeof runKinds)['chars']['defaults']][] = [
    ['hidden', 'hiddenSize'],
    ['lr', 'lr'],
    ['steps', 'steps'],
    ['batch', 'batch'],
    ['clip', 'clip'],
    ['eval-every', 'evalEvery'],
  ];
  for (const [flag, setting] of flags) {
    const line = lineOf(flag);
    for (const task of Object.keys(runKinds)) {
      const value = runKinds[task].defaults[setting];
      const shown = value === null ? 'no limit' : String(value);
      const named = new RegExp(`\\b${task}\\b[^;(]*? ${shown}|others ${shown}`).test(line);
      assert.ok(named, `--${flag}: ${task}'s default ${shown} is not what the help says: ${line}`);
    }
  }
  assert.match(lineOf('hidden'), /wordlm 100/);
  assert.match(lineOf('steps'), /spell 400/);
});

test('gradcheck exits 1 and reports failures when float32 uses eps 1e-6', () => {
  const r = rnnlab('gradcheck', '--dtype', 'f32', '--eps', '1e-6', '--op', 'sigmoid', '--json');
  assert.is(r.code, 1);
  assert.is(lastJson(r.out).failed, 3, 'the sigmoid op and the sigmoid RNN in both builds');
  assert.match(r.out, /FAIL/);
});

test('train --json reports the task, cell, steps, examples, metric, value and baseline; --save and --resume continue a run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-cli-'));
  try {
    const path = join(dir, 'adding.safetensors');
    const first = rnnlab(
      'train',
      '--task',
      'adding',
      '--cell',
      'gru',
      '--seq-len',
      '10',
      '--hidden',
      '8',
      '--batch',
      '8',
      '--steps',
      '20',
      '--eval-every',
      '10',
      '--save',
      path,
      '--runs',
      dir,
      '--json',
    );
    assert.is(first.code, 0, first.err);
    const a = lastJson(first.out);
    assert.equal(Object.keys(a), ['task', 'cell', 'steps', 'examples', 'metric', 'value', 'baseline', 'backend']);
    assert.is(a.backend, getBackend(), 'the backend this pass runs on (RNNLAB_BACKEND reaches the command too)');
    assert.equal([a.task, a.cell, a.steps, a.examples, a.metric], ['adding', 'gru', 20, 160, 'mse']);
    assert.ok(a.value > 0 && Math.abs(a.baseline - 1 / 6) < 1e-12);
    assert.match(
      first.out,
      /step 10  examples 80  train loss [\d.]+  test loss [\d.]+  test mse [\d.]+  [\d.]+ ms per training step/,
    );
    const folder = readdirSync(dir).find((f) => f.endsWith('-adding-gru'))!;
    assert.ok(folder !== undefined, 'a run folder');
    assert.equal(readdirSync(join(dir, folder)).sort(), ['curve.json', 'model.safetensors', 'report.html']);
    const report = readFileSync(join(dir, folder, 'report.html'), 'utf8');
    assert.match(
      report,
      /<svg[^>]*>[\s\S]*data-series="train loss, each step"[\s\S]*data-series="test loss"/,
      'the loss at every step, and the held-out points named by their split',
    );
    assert.match(report, /Test mse while training \(lower is better\)/, 'the metric curve');
    const resumed = rnnlab('train', '--resume', path, '--steps', '30', '--runs', dir, '--json');
    assert.is(resumed.code, 0, resumed.err);
    const b = lastJson(resumed.out);
    assert.equal([b.task, b.cell, b.steps, b.examples], ['adding', 'gru', 30, 240]);
    assert.match(resumed.out, /step 30  examples 240/);
    const plain = rnnlab(
      'train',
      '--task',
      'order',
      '--cell',
      'rnn',
      '--hidden',
      '4',
      '--batch',
      '2',
      '--steps',
      '2',
      '--runs',
      dir,
      '--json',
    );
    assert.is(plain.code, 0, plain.err);
    assert.equal(lastJson(plain.out).steps, 2, "a run with the task's default length");
    const missing = rnnlab('train', '--cell', 'lstm');
    assert.is(missing.code, 2);
    assert.match(missing.err, 'train: --task is required');
    const bad = rnnlab('train', '--task', 'adding', '--cell', 'lstm', '--hidden', '2.5');
    assert.is(bad.code, 2);
    assert.match(bad.err, "train: --hidden must be an integer ≥ 1, written in decimal digits, got '2.5'");
  } finally {
    rmSync(dir, { recursive: true });
  }
});

/** Start a long training run, wait for its first progress line, send a signal, and collect what happened. */
async function interrupted(signal: NodeJS.Signals, dir: string, extra: string[] = []) {
  const child = spawn(
    process.execPath,
    [
      cli,
      'train',
      '--task',
      'adding',
      '--cell',
      'gru',
      '--seq-len',
      '10',
      '--hidden',
      '8',
      '--steps',
      '1000000',
      '--eval-every',
      '0',
      '--runs',
      dir,
      ...extra,
    ],
    { cwd: repoRoot },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await new Promise<void>((resolve) => child.stderr.once('data', () => resolve()));
  child.kill(signal);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, out };
}

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const) {
  test(`${signal} stops training, saves the run and exits ${code}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), `rnnlab-${signal}-`));
    try {
      const r = await interrupted(signal, dir);
      assert.is(r.code, code);
      assert.match(r.out, new RegExp(`interrupted by ${signal}: saved the run at step \\d+ to `));
      const folder = readdirSync(dir)[0];
      assert.equal(readdirSync(join(dir, folder)).sort(), ['curve.json', 'model.safetensors', 'report.html']);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
}

test('a run killed before its first save leaves no run folder; one killed later keeps its last periodic save', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-kill-'));
  try {
    const early = await interrupted('SIGKILL', dir, ['--save-every', '0']);
    assert.is(early.code, null);
    assert.equal(readdirSync(dir), [], 'no empty run folder');
    const child = spawn(
      process.execPath,
      [
        cli,
        'train',
        '--task',
        'adding',
        '--seq-len',
        '10',
        '--hidden',
        '4',
        '--batch',
        '2',
        '--steps',
        '1000000',
        '--eval-every',
        '0',
        '--save-every',
        '5',
        '--runs',
        dir,
      ],
      { cwd: repoRoot },
    );
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (readdirSync(dir).length > 0 && readdirSync(join(dir, readdirSync(dir)[0])).includes('model.safetensors')) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('close', resolve));
    const folder = join(dir, readdirSync(dir)[0]);
    const resumed = rnnlab(
      'train',
      '--resume',
      folder,
      '--steps',
      '200000000',
      '--minutes',
      '0.001',
      '--runs',
      dir,
      '--json',
    );
    assert.is(resumed.code, 0, resumed.err);
    assert.ok(lastJson(resumed.out).steps >= 5, 'the periodic checkpoint resumes');
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('output paths are checked before training: --save into a missing folder fails at once, naming the folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-paths-'));
  try {
    const r = rnnlab(
      'train',
      '--task',
      'adding',
      '--steps',
      '100000',
      '--save',
      join(dir, 'no', 'such', 'm.safetensors'),
      '--runs',
      dir,
      '--json',
    );
    assert.is(r.code, 2);
    assert.match(
      r.err,
      `train: --save ${join(dir, 'no', 'such', 'm.safetensors')}: its folder ${join(dir, 'no', 'such')} does not exist`,
    );
    assert.equal(lastJson(r.out), {
      error: {
        message: `train: --save ${join(dir, 'no', 'such', 'm.safetensors')}: its folder ${join(dir, 'no', 'such')} does not exist`,
        argument: '--save',
      },
    });
    assert.equal(readdirSync(dir), [], 'nothing trained, nothing written');
    const asFolder = rnnlab('train', '--task', 'adding', '--save', dir, '--runs', dir);
    assert.is(asFolder.code, 2);
    assert.match(asFolder.err, `--save ${dir} is a folder`);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('bad flags are errors, not silent defaults: negative clip or minutes, stray arguments, flags a task or its model does not honour', () => {
  const cases: [string[], string, string][] = [
    [['train', '--task', 'adding', '--clip', '-1'], "train: --clip must be a number ≥ 0, got '-1'", '--clip'],
    [['train', '--task', 'adding', '--minutes', '-2'], "train: --minutes must be a number ≥ 0, got '-2'", '--minutes'],
    [['train', '--task', 'adding', '--steps', '0'], "train: --steps must be an integer ≥ 1, got '0'", '--steps'],
    [
      ['train', '--task', 'adding', '--tagset', 'brown'],
      'train: --tagset does not apply to the adding task',
      '--tagset',
    ],
    [['train', '--task', 'chars', '--seq-len', '5'], 'train: --seq-len does not apply to the chars task', '--seq-len'],
    [
      ['train', '--task', 'genre', '--unidirectional'],
      'train: --unidirectional does not apply to the genre task (it reads one way already)',
      '--unidirectional',
    ],
    [
      ['train', '--task', 'genre', '--concatenated'],
      'train: --concatenated does not apply to the genre task (its model is built unidirectional or bidirectional)',
      '--concatenated',
    ],
    [
      ['train', '--task', 'pos', '--concatenated', '--unidirectional'],
      'train: give one of --bidirectional, --unidirectional and --concatenated',
      '--concatenated',
    ],
    [
      ['train', '--task', 'spell', '--bidirectional'],
      'train: --bidirectional does not apply to the spell task (its model reads one way only)',
      '--bidirectional',
    ],
    [
      ['train', '--task', 'wordlm', '--bidirectional'],
      'train: --bidirectional does not apply to the wordlm task (its model reads one way only)',
      '--bidirectional',
    ],
    [
      ['train', '--task', 'chars', '--bidirectional'],
      'train: --bidirectional does not apply to the chars task (its model reads one way only)',
      '--bidirectional',
    ],
    [
      ['train', '--task', 'adding', '--update-gate', 'writes'],
      'train: --update-gate applies to --cell gru only, not lstm',
      '--update-gate',
    ],
    [
      ['train', '--task', 'adding', '--cell', 'gru', '--nonlinearity', 'relu'],
      'train: --nonlinearity applies to --cell rnn only, not gru',
      '--nonlinearity',
    ],
    [
      ['train', '--task', 'wordlm', '--variant', 'nfg'],
      'train: --variant applies to --cell lstm only, not rnn',
      '--variant',
    ],
    [
      ['tag', '--model', 'm.safetensors', 'file.txt'],
      "tag: takes no positional arguments, got 'file.txt' (options start with --)",
      'file.txt',
    ],
    [['vanish', 'extra'], "vanish: takes no positional arguments, got 'extra'", 'extra'],
  ];
  for (const [args, message, argument] of cases) {
    const r = rnnlab(...args, '--json');
    assert.is(r.code, 2, args.join(' '));
    assert.match(r.err, message);
    const json = lastJson(r.out);
    assert.match(json.error.message, message);
    assert.is(json.error.argument, argument);
  }
});

test("train takes a cell's own options: the GRU that writes, its settings in the header and the checkpoint", () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-cellopt-'));
  try {
    const r = rnnlab(
      'train',
      '--task',
      'adding',
      '--cell',
      'gru',
      '--update-gate',
      'writes',
      '--steps',
      '2',
      '--hidden',
      '4',
      '--batch',
      '4',
      '--runs',
      dir,
      '--json',
    );
    assert.is(r.code, 0, r.err);
    assert.match(r.out, /^task adding, cell gru, .*, updateGate writes$/m);
    const folder = join(dir, readdirSync(dir)[0]);
    const resumed = rnnlab(
      'train',
      '--resume',
      folder,
      '--steps',
      '3',
      '--update-gate',
      'keeps',
      '--runs',
      dir,
      '--json',
    );
    assert.is(resumed.code, 2);
    assert.match(resumed.err, "train: --update-gate keeps differs from the checkpoint's writes");
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('the first training command of the README runs as written (an LSTM by default), and its header shows the resolved length', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-first-'));
  try {
    const r = rnnlab(
      'train',
      '--task',
      'adding',
      '--steps',
      '3',
      '--batch',
      '4',
      '--hidden',
      '4',
      '--runs',
      dir,
      '--json',
    );
    assert.is(r.code, 0, r.err);
    assert.match(
      r.out,
      /^task adding, cell lstm, hiddenSize 4, numLayers 1, bidirectional false, batch 4, steps 3, .*seqLen 50, testSize 512, forgetBias 1$/m,
    );
    assert.not.match(r.out, /undefined/);
    assert.is(lastJson(r.out).cell, 'lstm');
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('--resume keeps its model: a different --cell is an error, --steps must go past the checkpoint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-resume-'));
  try {
    const path = join(dir, 'm.safetensors');
    assert.is(
      rnnlab(
        'train',
        '--task',
        'adding',
        '--cell',
        'gru',
        '--hidden',
        '4',
        '--batch',
        '2',
        '--steps',
        '4',
        '--save',
        path,
        '--runs',
        dir,
      ).code,
      0,
    );
    const cell = rnnlab('train', '--resume', path, '--cell', 'lstm', '--steps', '8', '--runs', dir, '--json');
    assert.is(cell.code, 2);
    assert.equal(lastJson(cell.out).error, {
      message: "train: --cell lstm differs from the checkpoint's gru; a resumed run keeps its model and data settings",
      argument: '--cell',
    });
    const same = rnnlab('train', '--resume', path, '--cell', 'gru', '--steps', '6', '--runs', dir, '--json');
    assert.is(same.code, 0, same.err);
    const back = rnnlab('train', '--resume', path, '--steps', '4', '--runs', dir);
    assert.is(back.code, 2);
    assert.match(back.err, 'train: --steps must be more than the 4 steps the checkpoint has done, got 4');
    const done = rnnlab('train', '--resume', path, '--runs', dir);
    assert.is(done.code, 2);
    assert.match(done.err, 'train: the checkpoint has done all of its 4 steps; give --steps to train further');
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('a run stopped by a non-finite update is saved as it was before that step, reported, and gives a JSON error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-nan-'));
  try {
    const args = [
      'train',
      '--task',
      'adding',
      '--hidden',
      '4',
      '--batch',
      '2',
      '--steps',
      '5',
      '--optimizer',
      'sgd',
      '--lr',
      '1e300',
      '--clip',
      '0',
      '--runs',
      dir,
      '--json',
    ];
    const r = rnnlab(...args);
    assert.is(r.code, 1);
    assert.match(
      r.err,
      /rnnlab train: step 1: the update of rnn\.l0\.W\[\d+\] is -?Infinity; training stopped \(onNonFinite: 'skip', or --on-nonfinite skip, skips such steps instead\)/,
    );
    assert.match(lastJson(r.out).error.message, /^train: step 1: the update of/);
    const folder = join(dir, readdirSync(dir)[0]);
    assert.equal(readdirSync(folder).sort(), ['curve.json', 'model.safetensors', 'report.html']);
    const skip = rnnlab(...args, '--on-nonfinite', 'skip');
    assert.is(skip.code, 0, skip.err);
    assert.is(lastJson(skip.out).steps, 5);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('--help works for the program and every command; bad usage exits 2 with a clear message', () => {
  const top = rnnlab('--help');
  assert.is(top.code, 0);
  const commands = [...top.out.matchAll(/^ {2}(\S+) {2,}/gm)].map((m) => m[1]);
  assert.ok(commands.includes('gradcheck'));
  for (const name of commands) {
    const h = rnnlab(name, '--help');
    assert.is(h.code, 0, name);
    assert.match(h.out, `usage: rnnlab ${name}`);
    assert.match(h.out, '--json');
  }
  const bad = rnnlab('gradcheck', '--dtype', 'f16');
  assert.is(bad.code, 2);
  assert.match(bad.err, "gradcheck: --dtype must be one of f64, f32, both, got 'f16'");
  const unknown = rnnlab('gradcheck', '--nope');
  assert.is(unknown.code, 2);
  assert.match(unknown.err, 'unknown option --nope');
  assert.is(rnnlab('frobnicate').code, 2);
  // A bare rnnlab is bad usage: the overview goes to stderr, stdout stays empty, exit 2.
  const bare = rnnlab();
  assert.is(bare.code, 2);
  assert.is(bare.out, '');
  assert.match(bare.err, 'usage: rnnlab <command>');
  assert.match(bare.err, 'rnnlab: give a command');
  const version = rnnlab('--version');
  assert.is(version.code, 0);
  assert.match(version.out, /^rnnlab \d+\.\d+\.\d+\n$/);
  assert.match(lastJson(rnnlab('--version', '--json').out).version, /^\d+\.\d+\.\d+$/);
  // The two meanings of lstm (train: forget bias 1; compare: the paper's, bias 0) are named in both helps.
  assert.match(rnnlab('train', '--help').out, "train's lstm starts with forget bias 1; compare names that cell lstm-b");
  assert.match(rnnlab('compare', '--help').out, 'lstm = LSTM, forget bias 0');
});

test('spell: every figure names its split (test: the task has no dev split), and the report spells held-out numbers with the misses marked', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-spell-'));
  try {
    const r = rnnlab('train', '--task', 'spell', '--steps', '4', '--eval-every', '2', '--hidden', '8', '--runs', dir);
    assert.is(r.code, 0, r.err);
    assert.match(
      r.out,
      /^step 2 {2}examples 64 {2}train loss [\d.]+ {2}test loss [\d.]+ {2}test accuracy [\d.]+ {2}[\d.]+ ms per training step$/m,
    );
    assert.not.match(r.out, /dev/);
    assert.match(r.out, /^final test accuracy [\d.]+ after 4 steps/m);
    assert.match(r.out, /12 of the held-out numbers, spelled \(\d+ wrong\):\n\d+ → /);
    const report = readFileSync(join(dir, readdirSync(dir)[0], 'report.html'), 'utf8');
    assert.match(report, /12 of the held-out numbers, spelled/);
    assert.match(report, /<mark>[^<]*<\/mark><\/td><td>✗ /, 'a miss marked, with the right spelling beside it');
    assert.match(report, /Test accuracy while training \(higher is better\)/, 'an accuracy curve');
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test.run();
