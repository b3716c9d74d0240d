// The layers and the edges allowed between them (the architecture section of docs/architecture.md):
//
//   kernels, in three storeys: kernels/js (the TypeScript kernels) → nothing of ours;
//   kernels/wasm (their twins) → kernels/js; kernels/backend (the table that picks one)
//   → kernels/js, kernels/wasm; kernels/index.ts → kernels/js, kernels/backend
//   core → kernels/js, kernels/backend, kernels/index.ts (never a wasm kernel directly)
//   cells → core
//   train → core, cells                  data → core               tasks → core, train
//   models → core, cells, train, data    checks → core, cells, train
//   experiments → core, cells, train, data, tasks, models
//   index.ts (the public API) → browser.ts and the library folders; browser.ts (the API a
//   page may load) → the library folders and plot; plot (the charts) → nothing of ours; playground (the
//   page) → browser.ts, plot; cli and bench → anything but spec and playground
//
// A spec that read only "nothing upward" would let cells reach past core into kernels, or a
// model into an experiment; this one fails on any edge not listed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { repoRoot } from './helpers.js';

const kernelStoreys = ['kernels', 'kernels/js', 'kernels/wasm', 'kernels/backend'];
const library = [...kernelStoreys, 'core', 'cells', 'train', 'data', 'tasks', 'models', 'experiments'];
export const allowedEdges: Record<string, readonly string[]> = {
  'kernels/js': [],
  'kernels/wasm': ['kernels/js'],
  'kernels/backend': ['kernels/js', 'kernels/wasm'],
  kernels: ['kernels/js', 'kernels/backend'],
  core: ['kernels', 'kernels/js', 'kernels/backend'],
  cells: ['core'],
  train: ['core', 'cells'],
  data: ['core'],
  tasks: ['core', 'train'],
  models: ['core', 'cells', 'train', 'data'],
  checks: ['core', 'cells', 'train'],
  experiments: ['core', 'cells', 'train', 'data', 'tasks', 'models'],
  plot: [],
  'index.ts': [...library, 'browser.ts'],
  'browser.ts': [...library, 'plot'],
  playground: ['browser.ts', 'plot'],
  cli: [...library, 'checks', 'index.ts', 'bench', 'plot'],
  bench: [...library, 'index.ts', 'cli'],
};

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

/** The folder (a storey of kernels/, or the root index.ts) a repository path belongs to. */
function unitOf(path: string): string {
  const [top, storey] = path.split('/');
  if (top === 'kernels' && kernelStoreys.includes(`kernels/${storey}`)) return `kernels/${storey}`;
  return top === 'index.js' || top === 'browser.js' ? top.replace(/\.js$/, '.ts') : top;
}

/** "file imports target": one line per import along an edge the design does not allow. */
export function violations(files: { path: string; source: string }[]): string[] {
  const out: string[] = [];
  for (const { path, source } of files) {
    const own = unitOf(path);
    const allowed = allowedEdges[own] ?? [];
    for (const spec of importsOf(source)) {
      const target = unitOf(
        relative('.', join(dirname(path), spec))
          .split(sep)
          .join('/'),
      );
      if (target === own) continue;
      if (!(target in allowedEdges)) out.push(`${path} imports ${spec}, outside the layers`);
      else if (!allowed.includes(target))
        out.push(`${path} imports ${spec} (${target}), an edge ${own} → ${target} the design does not allow`);
    }
  }
  return out;
}

test('the checker finds edges not in the design, upward or sideways, and accepts the listed ones', () => {
  const files = [
    {
      path: 'core/tensor.ts',
      source: "import { gemm } from '../kernels/js/gemm.js';\nimport { Lstm } from '../cells/lstm.js';",
    },
    {
      path: 'kernels/js/gemm.ts',
      source: "export * from './types.js';\nconst m = await import('../../core/alloc.js');",
    },
    { path: 'kernels/js/gather.ts', source: "import { WasmHeap } from '../wasm/heap.js';" },
    {
      path: 'kernels/wasm/gemm.ts',
      source: "import type { Buf } from '../js/types.js';\nimport { wasmBackend } from '../backend/choice.js';",
    },
    {
      path: 'core/ops/matmul.ts',
      source:
        "import { gemm } from '../../kernels/backend/matrix.js';\nimport { WasmGemm } from '../../kernels/wasm/gemm.js';",
    },
    { path: 'cells/x.ts', source: "import { ops } from '../index.js';" },
    {
      path: 'models/m.ts',
      source: "import { TaskRun } from '../experiments/taskRun.js';\nimport { Trainer } from '../train/index.js';",
    },
    { path: 'tasks/t.ts', source: "import { loadBrown } from '../data/brown.js';" },
    { path: 'cli/main.ts', source: "import { ops } from '../index.js';\nimport type { Tape } from '../core/tape.js';" },
  ];
  assert.equal(violations(files), [
    'core/tensor.ts imports ../cells/lstm.js (cells), an edge core → cells the design does not allow',
    'kernels/js/gemm.ts imports ../../core/alloc.js (core), an edge kernels/js → core the design does not allow',
    'kernels/js/gather.ts imports ../wasm/heap.js (kernels/wasm), an edge kernels/js → kernels/wasm the design does not allow',
    'kernels/wasm/gemm.ts imports ../backend/choice.js (kernels/backend), an edge kernels/wasm → kernels/backend the design does not allow',
    'core/ops/matmul.ts imports ../../kernels/wasm/gemm.js (kernels/wasm), an edge core → kernels/wasm the design does not allow',
    'cells/x.ts imports ../index.js (index.ts), an edge cells → index.ts the design does not allow',
    'models/m.ts imports ../experiments/taskRun.js (experiments), an edge models → experiments the design does not allow',
    'tasks/t.ts imports ../data/brown.js (data), an edge tasks → data the design does not allow',
  ]);
});

test('every import follows an allowed edge', () => {
  const units = [
    ...new Set(
      Object.keys(allowedEdges)
        .filter((u) => !u.endsWith('.ts'))
        .map((u) => u.split('/')[0]),
    ),
  ];
  const files = units.flatMap((unit) => {
    const dir = join(repoRoot, unit);
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
  for (const entry of ['index.ts', 'browser.ts'])
    files.push({ path: entry, source: readFileSync(join(repoRoot, entry), 'utf8') });
  assert.ok(files.length > 60, `found ${files.length} source files`);
  assert.equal(violations(files), []);
});

test.run();
