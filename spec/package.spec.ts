// The published package: what `npm pack` puts in the tarball. It must hold the licence, the
// compiled library, CLI and benchmarks (so that an installed `rnnlab bench` runs), and no
// compiled specs or source maps whose sources it does not ship.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './helpers.js';

test('the tarball holds LICENSE, the library, the CLI, the benches and the playground, and no specs or orphan source maps', () => {
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot, encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  const files = (JSON.parse(r.stdout) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
  for (const path of [
    'LICENSE',
    'package.json',
    'bin/rnnlab.mjs',
    'dist/index.js',
    'dist/index.d.ts',
    'dist/cli/main.js',
    'dist/bench/case.js',
    'data/en-brown.map',
    'dist/browser.js',
    'dist/playground/main.js',
    'dist/playground/worker.js',
    'playground/index.html',
    'playground/style.css',
  ]) {
    assert.ok(files.includes(path), `${path} is in the tarball`);
  }
  assert.equal(
    files.filter((f) => f.startsWith('dist/spec/')),
    [],
    'no compiled specs',
  );
  assert.equal(
    files.filter((f) => f.endsWith('.map') && f !== 'data/en-brown.map'),
    [],
    'no source maps',
  );
  assert.equal(
    files.filter((f) => f.endsWith('.tsbuildinfo')),
    [],
    'no incremental-build records',
  );
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  assert.ok('tinybench' in pkg.dependencies, 'rnnlab bench needs tinybench where rnnlab is installed');
});

test('installing the package runs nothing: no install-time script; the build runs before packing', () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
    bin: Record<string, string>;
  };
  for (const hook of ['preinstall', 'install', 'postinstall', 'prepare'])
    assert.not.ok(
      hook in pkg.scripts,
      `no ${hook} script (npm runs it, or warns of it, where the package is installed)`,
    );
  assert.is(pkg.scripts.prepack, 'npm run build');
  assert.equal(pkg.bin, { rnnlab: 'bin/rnnlab.mjs' });
});

test('the rnnlab command in a checkout that is not built says how to build it, and builds nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-unbuilt-'));
  try {
    mkdirSync(join(dir, 'bin'));
    copyFileSync(join(repoRoot, 'bin', 'rnnlab.mjs'), join(dir, 'bin', 'rnnlab.mjs'));
    const r = spawnSync(process.execPath, [join(dir, 'bin', 'rnnlab.mjs'), '--help', '--json'], { encoding: 'utf8' });
    assert.is(r.status, 2);
    assert.match(r.stderr, "this checkout is not built yet: run 'npm run build'");
    assert.match(JSON.parse(r.stdout).error.message, 'not built yet');
  } finally {
    rmSync(dir, { recursive: true });
  }
  const built = spawnSync(process.execPath, [join(repoRoot, 'bin', 'rnnlab.mjs'), '--version'], { encoding: 'utf8' });
  assert.is(
    built.stdout.trim(),
    `rnnlab ${(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version}`,
  );
});

test.run();
