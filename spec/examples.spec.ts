// The four classic architectures, each trained by its example to a bound. The examples run
// as a user would run them (node examples/NAME.mjs); their last line is a JSON summary.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './helpers.js';

function runExample(name: string, ...args: string[]): Record<string, any> {
  const r = spawnSync(process.execPath, [join('examples', name), ...args], { cwd: repoRoot, encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

test('many-to-one (temporal order, T = 30): accuracy ≥ 0.95 after 200 steps of 32, chance 0.25', () => {
  const r = runExample('many-to-one.mjs', '--steps', '200');
  assert.is(r.baseline, 0.25);
  assert.ok(r.accuracy >= 0.95, `accuracy ${r.accuracy}`);
});

test('many-to-many tagging: bidirectional ≥ 0.95 where unidirectional, blind to the future, stays below 0.75; one RNN over [x_t, x_{T+1−t}] in between', () => {
  const r = runExample('tagging.mjs', '--steps', '300');
  assert.ok(r.bidirectional >= 0.95, `bidirectional ${r.bidirectional}`);
  assert.ok(r.unidirectional < 0.75, `unidirectional ${r.unidirectional}`);
  assert.ok(
    r.concatenated > r.unidirectional + 0.05 && r.concatenated < r.bidirectional,
    `concatenated ${r.concatenated}`,
  );
  assert.ok(r.unidirectional > r.baseRate, 'it does learn what position tells');
});

test('encoder-decoder: reversing ≥ 80% of digits after 500 steps, sorting ≥ 90% of strings after 200 (chance 10% per digit)', () => {
  const r = runExample('encoder-decoder.mjs', '--reverse-steps', '500', '--sort-steps', '200');
  assert.ok(r.reverse.symbols >= 0.8, `reverse ${JSON.stringify(r.reverse)}`);
  assert.ok(r.sort.sequences >= 0.9, `sort ${JSON.stringify(r.sort)}`);
});

test('one-to-many (character LM): under 1 nat per character after 300 chunks, uniform guessing 3.26', () => {
  const r = runExample('char-lm.mjs', '--steps', '300');
  assert.ok(Math.abs(r.uniform - Math.log(26)) < 1e-12, 'the alphabet of the text: 26 characters');
  assert.ok(r.nats < 1, `nats ${r.nats}`);
});

test('one-to-many (spell a number from its digits): ≥ 95% of held-out numbers exactly after 400 steps; the input-blind baseline 0%, 29% of words', () => {
  const r = runExample('spell.mjs', '--steps', '400');
  assert.is(r.baseline.exact, 0);
  assert.ok(Math.abs(r.baseline.tokens - 0.293) < 1e-3, `baseline tokens ${r.baseline.tokens}`);
  assert.ok(r.exact >= 0.95, `exact ${r.exact}`);
  assert.ok(r.tokens > r.exact, 'a wrong spelling still has words right');
});

test('every example is run by a spec', () => {
  const examples = readdirSync(join(repoRoot, 'examples')).filter((f) => f.endsWith('.mjs') && f !== 'args.mjs');
  const here = ['many-to-one.mjs', 'tagging.mjs', 'encoder-decoder.mjs', 'char-lm.mjs', 'spell.mjs'];
  const inDocs = ['first.mjs', 'tiny-gradcheck.mjs', 'float32-step.mjs', 'layers.mjs', 'parameter-counts.mjs'];
  assert.equal(examples.sort(), [...here, ...inDocs].sort());
});

test.run();
