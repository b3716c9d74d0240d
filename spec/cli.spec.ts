import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { repoRoot } from './helpers.js';
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
    assert.equal(Object.keys(op), ['name', 'dtype', 'maxRelErr', 'ok']);
    assert.ok(op.ok && op.maxRelErr < 1e-6, `${op.name}: ${op.maxRelErr}`);
  }
  assert.match(r.out, /^case\s+dtype\s+worst rel err\s+bounds\s+result/m);
});

test('gradcheck exits 1 and reports failures when float32 uses eps 1e-6', () => {
  const r = rnnlab('gradcheck', '--dtype', 'f32', '--eps', '1e-6', '--op', 'sigmoid', '--json');
  assert.is(r.code, 1);
  assert.is(lastJson(r.out).failed, 1);
  assert.match(r.out, /FAIL/);
});

test('train --json reports the task, cell, steps, examples, metric, value and baseline; --save and --resume continue a run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-cli-'));
  try {
    const path = join(dir, 'adding.safetensors');
    const first = rnnlab('train', '--task', 'adding', '--cell', 'gru', '--seq-len', '10', '--hidden', '8', '--batch', '8', '--steps', '20', '--eval-every', '10', '--save', path, '--runs', dir, '--json');
    assert.is(first.code, 0, first.err);
    const a = lastJson(first.out);
    assert.equal(Object.keys(a), ['task', 'cell', 'steps', 'examples', 'metric', 'value', 'baseline']);
    assert.equal([a.task, a.cell, a.steps, a.examples, a.metric], ['adding', 'gru', 20, 160, 'mse']);
    assert.ok(a.value > 0 && Math.abs(a.baseline - 1 / 6) < 1e-12);
    assert.match(first.out, /step 10  examples 80  train loss [\d.]+  dev loss [\d.]+  dev mse [\d.]+/);
    const folder = readdirSync(dir).find((f) => f.endsWith('-adding-gru'))!;
    assert.ok(folder !== undefined, 'a run folder');
    assert.equal(readdirSync(join(dir, folder)).sort(), ['curve.json', 'model.safetensors', 'report.html']);
    assert.match(readFileSync(join(dir, folder, 'report.html'), 'utf8'), /<svg[^>]*>[\s\S]*data-series="dev loss"/);
    const resumed = rnnlab('train', '--resume', path, '--steps', '30', '--runs', dir, '--json');
    assert.is(resumed.code, 0, resumed.err);
    const b = lastJson(resumed.out);
    assert.equal([b.task, b.cell, b.steps, b.examples], ['adding', 'gru', 30, 240]);
    assert.match(resumed.out, /step 30  examples 240/);
    const plain = rnnlab('train', '--task', 'order', '--cell', 'rnn', '--hidden', '4', '--batch', '2', '--steps', '2', '--runs', dir, '--json');
    assert.is(plain.code, 0, plain.err);
    assert.equal(lastJson(plain.out).steps, 2, 'a run with the task\'s default length');
    const missing = rnnlab('train', '--cell', 'lstm');
    assert.is(missing.code, 2);
    assert.match(missing.err, 'train: --task is required');
    const bad = rnnlab('train', '--task', 'adding', '--cell', 'lstm', '--hidden', '2.5');
    assert.is(bad.code, 2);
    assert.match(bad.err, 'train: --hidden must be an integer ≥ 1, got 2.5');
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('Ctrl-C (SIGINT) stops training, saves the run and exits 130', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-sigint-'));
  try {
    const child = spawn(process.execPath, [cli, 'train', '--task', 'adding', '--cell', 'gru', '--seq-len', '10', '--hidden', '8', '--steps', '1000000', '--eval-every', '0', '--runs', dir], { cwd: repoRoot });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    // Wait for the first progress line (training has started), then interrupt.
    await new Promise<void>((resolve) => child.stderr.once('data', () => resolve()));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.is(code, 130);
    assert.match(out, /interrupted: saved the run at step \d+ to /);
    const folder = readdirSync(dir)[0];
    assert.ok(readdirSync(join(dir, folder)).includes('model.safetensors'));
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
});

test.run();
