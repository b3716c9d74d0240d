// The published package: what `npm pack` puts in the tarball. It must hold the licence, the
// compiled library, CLI and benchmarks (so that an installed `rnnlab bench` runs), and no
// compiled specs or source maps whose sources it does not ship.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './helpers.js';

test('the tarball holds LICENSE, the library, the CLI, the benches and the playground, and no specs or orphan source maps', () => {
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot, encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  const files = (JSON.parse(r.stdout) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
  for (const path of ['LICENSE', 'package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'dist/bench/case.js', 'data/en-brown.map',
    'dist/browser.js', 'dist/playground/main.js', 'dist/playground/worker.js', 'playground/index.html', 'playground/style.css']) {
    assert.ok(files.includes(path), `${path} is in the tarball`);
  }
  assert.equal(files.filter((f) => f.startsWith('dist/spec/')), [], 'no compiled specs');
  assert.equal(files.filter((f) => f.endsWith('.map') && f !== 'data/en-brown.map'), [], 'no source maps');
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  assert.ok('tinybench' in pkg.dependencies, 'rnnlab bench needs tinybench where rnnlab is installed');
});

test.run();
