// The layers import only downward: kernels → core → cells → train → cli.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { repoRoot } from './helpers.js';

const layers = ['kernels', 'core', 'cells', 'train', 'cli'];
/**
 * The root index.ts is the public API over the library layers: only cli (and specs,
 * benches) may import it. bench/ sits beside cli at the top: `rnnlab bench` runs its suite.
 */
const rank = (folder: string): number =>
  folder === 'index.ts' ? layers.indexOf('train') + 0.5 : folder === 'bench' ? layers.indexOf('cli') : layers.indexOf(folder);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative import or re-export in a TypeScript source. */
export function importsOf(source: string): string[] {
  const found: string[] = [];
  const pattern = /(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of source.matchAll(pattern)) {
    const spec = m[1] ?? m[2];
    if (spec.startsWith('.')) found.push(spec);
  }
  return found;
}

/** "file imports target": one line per import that reaches into a higher layer. */
export function violations(files: { path: string; source: string }[]): string[] {
  const out: string[] = [];
  for (const { path, source } of files) {
    const own = rank(path.split('/')[0]);
    for (const spec of importsOf(source)) {
      const target = relative('.', join(dirname(path), spec)).split(sep).join('/');
      const top = target.split('/')[0];
      const targetRank = rank(top === 'index.js' ? 'index.ts' : top);
      if (targetRank < 0) out.push(`${path} imports ${spec}, outside the layers`);
      else if (targetRank > own) out.push(`${path} imports ${spec} (${top}), a layer above its own`);
    }
  }
  return out;
}

test('the checker finds an upward import and accepts downward ones', () => {
  const files = [
    { path: 'core/tensor.ts', source: "import { gemm } from '../kernels/gemm.js';\nimport { Lstm } from '../cells/lstm.js';" },
    { path: 'kernels/gemm.ts', source: "export * from './types.js';\nconst m = await import('../core/alloc.js');" },
    { path: 'cells/x.ts', source: "import { ops } from '../index.js';" },
    { path: 'cli/main.ts', source: "import { ops } from '../index.js';\nimport type { Tape } from '../core/tape.js';" },
  ];
  assert.equal(violations(files), [
    'core/tensor.ts imports ../cells/lstm.js (cells), a layer above its own',
    'kernels/gemm.ts imports ../core/alloc.js (core), a layer above its own',
    'cells/x.ts imports ../index.js (index.js), a layer above its own',
  ]);
});

test('no layer imports a layer above it', () => {
  const files = layers.flatMap((layer) => {
    const dir = join(repoRoot, layer);
    try {
      statSync(dir);
    } catch {
      return [];
    }
    return sourceFiles(dir).map((abs) => ({
      path: relative(repoRoot, abs).split(sep).join('/'),
      source: readFileSync(abs, 'utf8'),
    }));
  });
  assert.ok(files.length > 10, `found ${files.length} source files`);
  assert.equal(violations(files), []);
});

test.run();
