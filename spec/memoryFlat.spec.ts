// Memory is owned, not collected: a training loop that never yields stays flat, on every
// backend. Each case trains 8,000 steps to warm up and 10,000 more in a child process whose
// loop never yields (so no FinalizationRegistry callback can run: only the allocation scopes
// free memory), measuring every 1,000 steps after a full collection (spec/memoryLoop.ts).
// Before the scopes, the wasm backend's RSS grew from about 100 MB to 700 MB in 3,000 steps.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './helpers.js';

interface Sample { heap: number; rss: number; wasmInUse: number }

const MB = 2 ** 20;
const spread = (xs: number[]) => Math.max(...xs) - Math.min(...xs);

for (const [kind, what] of [['fused', 'the README\'s first example, fused LSTM'], ['unfused', 'the same, unfused LSTM'], ['chars', 'a character LSTM carrying its state from chunk to chunk']] as const) {
  test(`${what}: 10,000 steps that never yield leave the heap, the wasm heap and RSS flat`, () => {
    const r = spawnSync(process.execPath, ['--expose-gc', join(repoRoot, 'dist/spec/memoryLoop.js'), kind, '8000', '10000'], { encoding: 'utf8', cwd: repoRoot });
    assert.is(r.status, 0, r.stderr);
    const { samples, backend } = JSON.parse(r.stdout) as { samples: Sample[]; backend: string };
    const show = (key: keyof Sample) => samples.map((s) => (s[key] / MB).toFixed(1)).join(' ');
    const where = `${kind} on ${backend}: heap ${show('heap')} MB; RSS ${show('rss')} MB`;
    assert.ok(spread(samples.map((s) => s.heap)) < 1 * MB, `the JavaScript heap moves by less than 1 MB (${where})`);
    assert.is(spread(samples.map((s) => s.wasmInUse)), 0, `the wasm heap holds the same bytes throughout (${show('wasmInUse')} MB)`);
    assert.ok(spread(samples.slice(5).map((s) => s.rss)) < 4 * MB, `RSS moves by less than 4 MB over the last 5,000 steps (${where})`);
    assert.ok(samples[10].rss - samples[0].rss < 24 * MB, `RSS grows by less than 24 MB in 10,000 steps (${where})`);
    assert.ok(Math.max(...samples.map((s) => s.rss)) < 200 * MB, `RSS stays under 200 MB (${where})`);
  });
}

test.run();
