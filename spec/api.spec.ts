// The public API is a promise: every name index.ts and browser.ts export is described in
// docs/api.md, a function with its signature (`name(`), a class or a constant by its name,
// a type by its name. A name nobody documented is either an internal that leaked, or a
// missing line in the docs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as api from '../index.js';
import * as browser from '../browser.js';
import { repoRoot } from './helpers.js';

const docs = readFileSync(join(repoRoot, 'docs', 'api.md'), 'utf8');
/** Every code block of the docs, and every piece of inline code (which may run over a line break). */
const blocks = [...docs.matchAll(/```[^\n]*\n([\s\S]*?)```/g)].map((m) => m[1]);
const code = [...blocks, ...[...docs.replace(/```[\s\S]*?```/g, '').matchAll(/`([^`]+)`/g)].map((m) => m[1])];

/** The type names an entry module exports (`type X` in its export lists). */
function typeNames(entry: string): string[] {
  const source = readFileSync(join(repoRoot, entry), 'utf8');
  return [...source.matchAll(/\btype (\w+)/g)].map((m) => m[1]);
}

const isClass = (v: unknown) => typeof v === 'function' && /^class\b/.test(Function.prototype.toString.call(v));
const named = (name: string) => code.some((c) => new RegExp(`(^|[^\\w.])${name}\\b`).test(c));
const withSignature = (name: string) => code.some((c) => new RegExp(`(^|[^\\w.])${name}\\(`).test(c));

test('every value the package exports is in docs/api.md: a function with its signature, a class or constant by name', () => {
  const missing: string[] = [];
  for (const [name, value] of Object.entries(api)) {
    const plainFunction = typeof value === 'function' && !isClass(value);
    if (plainFunction ? !withSignature(name) : !named(name)) missing.push(plainFunction ? `${name}(…)` : name);
  }
  assert.equal(missing, [], `not described in docs/api.md: ${missing.join(', ')}`);
});

test('every type the package exports is named in docs/api.md', () => {
  const missing = [...new Set([...typeNames('index.ts'), ...typeNames('browser.ts')])].filter((t) => !named(t));
  assert.equal(missing, [], `types not described in docs/api.md: ${missing.join(', ')}`);
});

test("'rnnlab/browser' is the package's list less what needs Node's files, and no internal leaks", () => {
  const all = Object.keys(api),
    page = Object.keys(browser);
  assert.ok(
    page.every((name) => all.includes(name)),
    'the browser list is part of the package list',
  );
  assert.equal(
    all.filter((n) => !page.includes(n)).sort(),
    [
      'brownCategories',
      'brownSplit',
      'buildPosVocabulary',
      'cellChoice',
      'checkpointFile',
      'completeSettings',
      'createRun',
      'loadBrown',
      'loadBrownText',
      'loadCharModel',
      'loadCheckpoint',
      'loadSafetensors',
      'loadTagger',
      'loadWordModel',
      'lsaVectors',
      'namedCells',
      'nearestWords',
      'PosTagger',
      'randomVectors',
      'readCheckpointInfo',
      'resumeRun',
      'runKinds',
      'saveCheckpoint',
      'saveSafetensors',
      'scoreAnalogies',
      'symmetricEigen',
      'tagAccuracy',
      'trainFor',
      'trainForAsync',
      'truncatedSvdRows',
      'universalTag',
      'wordShape',
      'writeFileAtomic',
    ].sort(),
  );
  for (const internal of [
    'sweepJobs',
    'runJob',
    'groupKey',
    'bestRate',
    'CharsRun',
    'TaskRun',
    'RunBase',
    'kernels',
    'LstmWorkspace',
    'checkLengths',
  ]) {
    assert.not.ok(internal in api, `${internal} is internal`);
  }
});

test.run();
