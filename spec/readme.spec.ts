// The README stays true: its example is the file it names, and every output block marked
// `<!-- output of: COMMAND -->` is what COMMAND prints now.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './helpers.js';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/<!-- (file|output of): (.+?) -->\n```\w*\n([\s\S]*?)```/g)];

test('the README has its example and its outputs marked', () => {
  assert.ok(blocks.some((b) => b[1] === 'file'));
  assert.ok(blocks.filter((b) => b[1] === 'output of').length >= 3);
});

for (const [, kind, target, body] of blocks) {
  if (kind === 'file') {
    test(`README shows ${target} as it is`, () => {
      assert.fixture(body, readFileSync(join(repoRoot, target), 'utf8'));
    });
  } else {
    test(`README shows what \`${target}\` prints`, () => {
      const argv = target.replace(/^npx rnnlab /, 'node dist/cli/main.js ').split(' ');
      assert.is(argv[0], 'node', 'output blocks run node or npx rnnlab');
      const env = { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' };
      const r = spawnSync(process.execPath, argv.slice(1), { cwd: repoRoot, encoding: 'utf8', env });
      assert.is(r.stderr, '');
      assert.fixture(r.stdout, body);
    });
  }
}

test.run();
