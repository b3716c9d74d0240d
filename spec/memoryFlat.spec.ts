// Memory is owned, not collected: a training loop that never yields stays flat, on every
// backend. Each case trains 8,000 steps to warm up and 10,000 more in a child process whose
// loop never yields (so no FinalizationRegistry callback can run: only the allocation scopes
// free memory), measuring every 1,000 steps after a full collection (spec/memoryLoop.ts).
// Before the scopes, the wasm backend's RSS grew from about 100 MB to 700 MB in 3,000 steps
// (and to 1.4 GB unfused), while the JavaScript heap grew by 30 to 360 MB.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './helpers.js';

interface Sample {
  heap: number;
  rss: number;
  wasmInUse: number;
}

const MB = 2 ** 20;
const spread = (xs: number[]) => Math.max(...xs) - Math.min(...xs);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const [kind, what] of [
  ['fused', "the README's first example, fused LSTM"],
  ['unfused', 'the same, unfused LSTM'],
  ['chars', 'a character LSTM carrying its state from chunk to chunk'],
] as const) {
  test(`${what}: 10,000 steps that never yield leave the heap, the wasm heap and RSS flat`, () => {
    const r = spawnSync(
      process.execPath,
      ['--expose-gc', join(repoRoot, 'dist/spec/memoryLoop.js'), kind, '8000', '10000'],
      { encoding: 'utf8', cwd: repoRoot },
    );
    assert.is(r.status, 0, r.stderr);
    const { samples, backend } = JSON.parse(r.stdout) as { samples: Sample[]; backend: string };
    const show = (key: keyof Sample) => samples.map((s) => (s[key] / MB).toFixed(1)).join(' ');
    const where = `${kind} on ${backend}: heap ${show('heap')} MB; RSS ${show('rss')} MB`;
    assert.ok(spread(samples.map((s) => s.heap)) < 1 * MB, `the JavaScript heap moves by less than 1 MB (${where})`);
    assert.is(
      spread(samples.map((s) => s.wasmInUse)),
      0,
      `the wasm heap holds the same bytes throughout (${show('wasmInUse')} MB)`,
    );
    // RSS still moves by a few MB as the engine commits and releases pages: the medians of the
    // first and the last five measurements are compared, so that one spike does not decide.
    const rss = samples.map((s) => s.rss);
    assert.ok(
      median(rss.slice(6)) - median(rss.slice(0, 5)) < 4 * MB,
      `RSS grows by less than 4 MB from the first 5,000 steps to the last (${where})`,
    );
    assert.ok(Math.max(...samples.map((s) => s.rss)) < 200 * MB, `RSS stays under 200 MB (${where})`);
  });
}

test.run();
