// `rnnlab compare` and `rnnlab span`: the commands, their JSON, results.json and report,
// that results do not depend on how many threads ran them, and that Ctrl-C keeps what has
// finished. Nothing learned is asserted here (spec/memory.spec.ts holds the learning bounds).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './helpers.js';
import { bestRate, summarize, type GridOptions, type JobResult } from '../experiments/index.js';
import { makeTask } from '../tasks/index.js';
import { runGrid } from '../cli/gridPool.js';

const cli = join(repoRoot, 'dist/cli/main.js');
function rnnlab(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: repoRoot });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const lastJson = (out: string) => JSON.parse(out.trim().split('\n').at(-1)!);

const tiny = [
  '--cells',
  'tanh,lstm-f',
  '--lrs',
  '0.01,0.03',
  '--seeds',
  '2',
  '--steps',
  '4',
  '--hidden',
  '4',
  '--batch',
  '4',
  '--test-size',
  '16',
];

test("compare: a row per cell with the rate its sweep chose and a test figure per seed, the paper's column, results.json and a report with the curves", () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-compare-'));
  try {
    const r = rnnlab('compare', '--task', 'arith', ...tiny, '--runs', dir, '--json');
    assert.is(r.code, 0, r.err);
    const json = lastJson(r.out);
    assert.equal(json.jobs, { done: 6, total: 6 });
    assert.is(json.interrupted, null);
    assert.equal(
      json.groups.map((g: { cell: string }) => g.cell),
      ['tanh', 'lstm-f'],
    );
    for (const g of json.groups) {
      assert.ok([0.01, 0.03].includes(g.lr));
      assert.is(g.tests.length, 2);
      assert.ok(g.tests.every((v: number) => v >= 0 && v <= 1));
      assert.ok(Math.abs(g.mean - (g.tests[0] + g.tests[1]) / 2) < 1e-12);
    }
    assert.equal(
      json.groups.map((g: { paperArith: number }) => g.paperArith),
      [0.29, 0.29],
    );
    assert.match(r.out, /^cell\s+parameters\s+lr\s+test accuracy \(mean ± sd\)\s+seeds\s+paper \(Arith\)$/m);
    assert.equal(readdirSync(json.folder).sort(), ['report.html', 'results.json']);
    const saved = JSON.parse(readFileSync(join(json.folder, 'results.json'), 'utf8'));
    assert.is(saved.results.length, 6);
    assert.equal(saved.groups, json.groups);
    const html = readFileSync(join(json.folder, 'report.html'), 'utf8');
    assert.match(html, /<svg/);
    assert.match(html, /Learning curves/);
    assert.match(html, /lstm-f = LSTM without a forget gate/);
    // One thread or two: the same figures.
    const serial = lastJson(
      rnnlab('compare', '--task', 'arith', ...tiny, '--workers', '1', '--runs', dir, '--json').out,
    );
    assert.equal(serial.groups, json.groups);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('span: a figure per cell and length, the longest length solved, and the plot against T', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-span-'));
  try {
    const r = rnnlab(
      'span',
      '--task',
      'copy',
      '--cells',
      'tanh,gru',
      '--lengths',
      '3,2',
      '--steps',
      '3',
      '--hidden',
      '4',
      '--batch',
      '4',
      '--test-size',
      '16',
      '--runs',
      join(dir, 'new', 'folder'),
      '--json',
    );
    assert.is(r.code, 0, r.err);
    const json = lastJson(r.out);
    assert.equal(
      json.groups.map((g: { cell: string; seqLen: number }) => `${g.cell} ${g.seqLen}`),
      ['tanh 2', 'tanh 3', 'gru 2', 'gru 3'],
    );
    assert.equal(json.longest, { tanh: null, gru: null }, 'three steps solve nothing');
    assert.match(r.out, /^cell\s+T=2\s+T=3\s+longest solved$/m);
    const html = readFileSync(join(json.folder, 'report.html'), 'utf8');
    assert.match(html, /against the length T/);
    assert.match(html, /solved: 0\.99/);
    // The x axis runs over the lengths measured, not from 0.
    const xTicks = [...html.matchAll(/<text x="[\d.]+" y="[\d.]+" text-anchor="middle">([^<]+)<\/text>/g)]
      .map((m) => m[1])
      .filter((t) => /^[\d.]+$/.test(t));
    assert.ok(xTicks.length > 0 && !xTicks.includes('0'), `x ticks ${xTicks.join(' ')}`);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('Ctrl-C stops a comparison, keeps the runs that finished and writes their report', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-compare-int-'));
  try {
    // Each run takes about half a second here (seconds under load), so the signal, sent as the first
    // run is reported, lands while the second trains; on a loaded machine it may land later
    // still, so the count kept is read from the output and checked against the JSON.
    const child = spawn(
      process.execPath,
      [
        cli,
        'compare',
        '--task',
        'arith',
        '--cells',
        'tanh,gru,lstm',
        '--lrs',
        '0.01',
        '--seeds',
        '1',
        '--steps',
        '400',
        '--hidden',
        '32',
        '--batch',
        '16',
        '--test-size',
        '16',
        '--workers',
        '1',
        '--runs',
        dir,
        '--json',
      ],
      { cwd: repoRoot },
    );
    let out = '';
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('[1/3]')) resolve();
      }),
    );
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.is(code, 130);
    const kept = Number(/interrupted by SIGINT: kept the (\d) of 3 runs that had finished/.exec(out)?.[1]);
    assert.ok(kept >= 1, `the run finished before the signal is kept: kept ${kept}`);
    const json = lastJson(out);
    assert.equal(json.jobs, { done: kept, total: 3 });
    assert.equal(
      json.groups.map((g: { cell: string }) => g.cell),
      ['tanh', 'gru'].slice(0, kept),
    );
    assert.ok(existsSync(join(json.folder, 'report.html')));
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("a run's error stops the grid with that error, and the runs finished before it are kept", async () => {
  // The command line refuses MUT1 on real-valued input before any training (catalogue); the
  // pool, given such a grid anyway, runs tanh and then meets the error in mut1's worker.
  const grid: GridOptions = {
    task: 'adding',
    cells: ['tanh', 'mut1'],
    lengths: [5],
    lrs: [0.01],
    seeds: 1,
    steps: 3,
    batch: 4,
    hiddenSize: 4,
    evaluations: 1,
    testSize: 16,
  };
  const outcome = await runGrid(grid, makeTask('adding', 5).metric, 1, {
    onSteps: () => undefined,
    onResult: () => undefined,
  });
  assert.match(
    outcome.error?.message ?? '',
    'settings.cell must be a cell that reads any input width for the adding task (mut1 adds x_t to the hidden state',
  );
  assert.equal(
    outcome.results.map((x) => x.cell),
    ['tanh'],
  );
  assert.is(outcome.total, 2);
});

test('a --runs folder that cannot be made is a usage error before any training', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-compare-runs-'));
  try {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const r = rnnlab(
      'compare',
      '--cells',
      'tanh',
      '--lrs',
      '0.01',
      '--seeds',
      '1',
      '--runs',
      join(file, 'runs'),
      '--json',
    );
    assert.is(r.code, 2);
    assert.match(r.err, `compare: --runs ${join(file, 'runs')} cannot hold run folders`);
    assert.is(lastJson(r.out).error.argument, '--runs');
    assert.not.match(r.out, /\[1\//, 'nothing trained');
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('bad lists and counts are usage errors that name the flag', () => {
  const cases: [string[], string, string][] = [
    [
      ['compare', '--cells', 'tanh,lstm-z'],
      'compare: --cells must be a comma-separated list of names among tanh, lstm, lstm-f',
      '--cells',
    ],
    [
      ['compare', '--lrs', '0.01,-1'],
      "--lrs must be a comma-separated list of numbers > 0, got '-1' in '0.01,-1'",
      '--lrs',
    ],
    [
      ['compare', '--cells', 'gru,gru'],
      "--cells must be a comma-separated list of names among tanh, lstm, lstm-f, lstm-i, lstm-o, lstm-b, gru, mut1, mut2, mut3, none twice, got 'gru,gru', where gru comes twice",
      '--cells',
    ],
    [['compare', '--seeds', '0'], "compare: --seeds must be an integer ≥ 1, got '0'", '--seeds'],
    [['compare', '--task', 'order'], 'compare: --task must be one of', '--task'],
    [['span', '--lengths', '5,1'], 'span: --lengths must be a comma-separated list of integers ≥ 2', '--lengths'],
  ];
  for (const [args, message, argument] of cases) {
    const r = rnnlab(...args, '--json');
    assert.is(r.code, 2, args.join(' '));
    assert.match(r.err, message);
    assert.is(lastJson(r.out).error.argument, argument);
  }
});

test("the sweep keeps the rate with the best final dev figure (highest accuracy, lowest MSE), never a NaN, ties to the lowest rate in any order; the summary is over that rate's seeds (one seed: no spread)", () => {
  const result = (lr: number, seed: number, dev: number, test: number): JobResult => ({
    key: '',
    cell: 'gru',
    seqLen: 3,
    lr,
    seed,
    parameters: 10,
    curve: [],
    dev,
    test,
    seconds: 0,
  });
  const sweep = [result(0.01, 1, 0.5, 0.5), result(0.03, 1, 0.7, 0.6), result(0.1, 1, NaN, NaN)];
  assert.is(bestRate(sweep, { name: 'accuracy', baseline: 0.1, higherIsBetter: true }), 0.03);
  assert.is(bestRate(sweep, { name: 'mse', baseline: 0.1, higherIsBetter: false }), 0.01);
  const tied = [result(0.03, 1, 0.5, 0.5), result(0.01, 1, 0.5, 0.4)];
  for (const metric of [
    { name: 'accuracy', baseline: 0.1, higherIsBetter: true },
    { name: 'mse', baseline: 0.1, higherIsBetter: false },
  ] as const) {
    assert.is(bestRate(tied, metric), 0.01, 'a tie goes to the lowest rate');
    assert.is(
      bestRate([...tied].reverse(), metric),
      0.01,
      'whichever run finished first (two workers finish in any order)',
    );
  }
  assert.is(
    bestRate([result(0.03, 1, NaN, NaN), result(0.01, 1, NaN, NaN)], {
      name: 'accuracy',
      baseline: 0.1,
      higherIsBetter: true,
    }),
    0.01,
    'no finite run: the lowest rate',
  );
  const grid: GridOptions = {
    task: 'arith',
    cells: ['gru'],
    lengths: [3],
    lrs: [0.01, 0.03, 0.1],
    seeds: 3,
    steps: 1,
    batch: 1,
    hiddenSize: 1,
    evaluations: 1,
    testSize: 1,
  };
  const [g] = summarize(grid, [...sweep, result(0.03, 3, 0.6, 0.8), result(0.03, 2, 0.6, 0.7)], {
    name: 'accuracy',
    baseline: 0.1,
    higherIsBetter: true,
  });
  assert.equal(g.tests, [0.6, 0.7, 0.8]);
  assert.ok(Math.abs(g.mean - 0.7) < 1e-12 && Math.abs(g.sd! - 0.1) < 1e-12);
  const [one] = summarize({ ...grid, seeds: 1 }, sweep, { name: 'accuracy', baseline: 0.1, higherIsBetter: true });
  assert.equal([one.tests, one.sd], [[0.6], null], 'one seed has no spread: null, not a measured 0');
  assert.is(g.paperArith, 0.9, "the paper's Arith figure beside an arith row");
  const [copyRow] = summarize(
    { ...grid, task: 'copy' },
    [...sweep, result(0.03, 3, 0.6, 0.8), result(0.03, 2, 0.6, 0.7)],
    { name: 'accuracy', baseline: 0.1, higherIsBetter: true },
  );
  assert.ok(!('paperArith' in copyRow), 'and not beside a copy row: the paper measured Arith, not copy');
  assert.equal(
    summarize({ ...grid, lrs: [0.01, 0.03, 0.1, 0.3] }, sweep, {
      name: 'accuracy',
      baseline: 0.1,
      higherIsBetter: true,
    }),
    [],
    'a sweep not finished is no row',
  );
});

test.run();
