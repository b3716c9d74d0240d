// The benchmark suite keeps working: a quick run at tiny sizes. No timing is asserted.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './helpers.js';

test('rnnlab bench --quick --json runs every case and reports ms and GFLOP/s', () => {
  const r = spawnSync(process.execPath, [join(repoRoot, 'dist/cli/main.js'), 'bench', '--quick', '--json'], {
    encoding: 'utf8',
  });
  assert.is(r.status, 0, r.stderr);
  const { results } = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  for (const res of results) {
    assert.equal(Object.keys(res), ['name', 'cell', 'config', 'variant', 'pass', 'backend', 'ms', 'gflops']);
    assert.ok(res.ms > 0 && Number.isFinite(res.gflops) && res.gflops > 0, res.name);
  }
  const has = (cell: string, config: string, variant: string, pass: string) =>
    results.some(
      (x: Record<string, string>) => x.cell === cell && x.config === config && x.variant === variant && x.pass === pass,
    );
  for (const config of ['S', 'M', 'L'])
    for (const variant of ['fused', 'unfused'])
      for (const pass of ['forward', 'train'])
        assert.ok(has('lstm', config, variant, pass), `lstm ${config} ${variant} ${pass}`);
  for (const cell of ['gru', 'rnn'])
    assert.ok(has(cell, 'M', 'fused', 'train') && has(cell, 'M', 'unfused', 'train'), cell);
  for (const variant of ['naive', 'unpacked', 'blocked'])
    assert.ok(has('gemm', '32x32x32', variant, 'forward'), `gemm ${variant}`);
  assert.match(r.stdout, /lstm M train \(js\): fused [\d.]+× faster than unfused \(fastest calls [\d.]+×\)/);
  assert.match(r.stdout, /lstm M train \(wasm\): fused [\d.]+× faster than unfused/);
  assert.ok(has('gemm', '32x32x32', 'wasm', 'forward'), 'gemm wasm');
  assert.match(r.stdout, /gemm 32x32x32 wasm: [\d.]+× the speed of gemm 32x32x32 blocked/);
  assert.match(r.stdout, /name +ms +GFLOP\/s +best ms +best GF\/s/);
});

test('a bench case process refuses a name that is not in the suite, saying what it got', () => {
  const r = spawnSync(process.execPath, [join(repoRoot, 'dist/bench/case.js'), 'gemm 0x0x0 nothing'], {
    encoding: 'utf8',
  });
  assert.is(r.status, 2);
  assert.match(r.stderr, /expected the name of a case of the suite, got "gemm 0x0x0 nothing"/);
});

test.run();
