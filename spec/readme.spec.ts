// The README and the docs stay true: each example shown is the file it names, every output
// block marked `<!-- output of: COMMAND -->` is what COMMAND prints now, and every link to a
// page or a heading leads somewhere.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from './helpers.js';

const pages = [
  'README.md',
  ...readdirSync(join(repoRoot, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const text = (page: string) => readFileSync(join(repoRoot, page), 'utf8');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

test('the README and the docs have their examples and outputs marked', () => {
  const all = pages.map(text).join('\n');
  assert.ok(/<!-- file: examples\/first\.mjs -->/.test(text('README.md')), 'the README shows the first example');
  assert.ok([...all.matchAll(/<!-- output of: /g)].length >= 10);
});

for (const page of pages) {
  const blocks = [...text(page).matchAll(/<!-- (file|output of): (.+?) -->\n```\w*\n([\s\S]*?)```/g)];
  for (const [, kind, target, body] of blocks) {
    if (kind === 'file') {
      test(`${page} shows ${target} as it is`, () => {
        assert.fixture(body, readFileSync(join(repoRoot, target), 'utf8'));
      });
    } else {
      test(`${page} shows what \`${target}\` prints`, () => {
        const argv = target.replace(/^npx rnnlab /, 'node dist/cli/main.js ').split(' ');
        assert.is(argv[0], 'node', 'output blocks run node or npx rnnlab');
        // As a reader runs it: the default backend (wasm where supported), whichever backend this pass tests.
        const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' };
        delete env.RNNLAB_BACKEND;
        const r = spawnSync(process.execPath, argv.slice(1), { cwd: repoRoot, encoding: 'utf8', env });
        assert.is(r.stderr, '');
        assert.fixture(r.stdout, body);
      });
    }
  }
  test(`${page}: every link to a page or a heading leads somewhere`, () => {
    for (const [, target] of text(page).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue;
      const [file, hash] = target.split('#');
      const path = file === '' ? page : join(dirname(page), file);
      assert.ok(existsSync(join(repoRoot, path)), `${page} links to ${target}: no such file`);
      if (hash === undefined) continue;
      const headings = [...text(path).matchAll(/^#+ (.+)$/gm)].map((m) => anchor(m[1]));
      assert.ok(headings.includes(hash), `${page} links to ${target}: ${path} has no heading #${hash}`);
    }
  });
}

test.run();
