// The catalogue of bad inputs and faults: every case must end in an error of the stated
// class whose message names the argument, what was expected and what came. Library cases
// call the API; command-line cases run `rnnlab` with --json and read the exit code (2 for
// bad usage, 1 for a failure), the message on stderr and the {"error": …} object on stdout.
// The cases are in spec/catalogue/, one file per round of the catalogue. (Signals and kills
// are in cli.spec.ts, requests to the playground's server in playground.spec.ts: there the
// fault is the outcome, not a message.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentError, loadSafetensors, resumeRun, writeFileAtomic } from '../index.js';
import { repoRoot } from './helpers.js';
import type { Case, CliCase } from './catalogue/types.js';
import { dir, savedRun } from './catalogue/fixtures.js';
import { libraryCases } from './catalogue/library.js';
import { builtCases } from './catalogue/built.js';
import { commandLineCases } from './catalogue/commandLine.js';
import { numberCases } from './catalogue/numbers.js';
import { wordCases } from './catalogue/words.js';

const cases: Case[] = [...libraryCases, ...builtCases];
const cliCases: CliCase[] = [...commandLineCases, ...numberCases, ...wordCases];

/** One library case: the class, and the three parts of the message. */
function check(c: Case): void {
  let thrown: unknown = null;
  try {
    c.run();
  } catch (err) {
    thrown = err;
  }
  assert.ok(thrown !== null, `${c.area}: ${c.what} must throw`);
  const err = thrown as Error;
  assert.instance(err, c.error, `${c.area}: ${c.what}: ${err.name}: ${err.message}`);
  for (const part of [c.argument, c.expected, c.got]) {
    assert.ok(err.message.includes(part), `${c.area}: ${c.what}: the message "${err.message}" must name "${part}"`);
  }
  if (err instanceof ArgumentError)
    assert.ok(
      c.argument.includes(err.argument) || err.argument.includes(c.argument),
      `${c.area}: ${c.what}: argument ${err.argument}`,
    );
}

const cli = join(repoRoot, 'dist/cli/main.js');

interface CliOutcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run `rnnlab ARGS --json` with the case's stdin and environment. */
function runCli(c: CliCase): Promise<CliOutcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...c.args, '--json'], {
      cwd: repoRoot,
      env: { ...process.env, ...c.env },
    });
    let stdout = '',
      stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(c.stdin ?? '');
  });
}

/** Every command-line case run two at a time, started at once; each test awaits its own. */
function runAll(list: readonly CliCase[]): Promise<CliOutcome>[] {
  const outcomes: Promise<CliOutcome>[] = [];
  let chain: Promise<unknown>[] = [Promise.resolve(), Promise.resolve()];
  list.forEach((c, q) => {
    const lane = q % chain.length;
    const outcome = chain[lane].then(() => runCli(c));
    chain[lane] = outcome;
    outcomes.push(outcome);
  });
  chain = [];
  return outcomes;
}

function checkCli(c: CliCase, r: CliOutcome): void {
  assert.is(r.status, c.code, `${c.what}: exit ${r.status}, stderr ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  const json = JSON.parse(lines.at(-1)!) as { error: { message: string; argument?: string } };
  for (const part of c.parts) {
    assert.ok(r.stderr.includes(part), `${c.what}: stderr "${r.stderr.trim()}" must name "${part}"`);
    assert.ok(json.error.message.includes(part), `${c.what}: the JSON error must name "${part}"`);
  }
  assert.not.match(r.stderr, /\n\s+at /, `${c.what}: no stack trace on stderr`);
  if (c.argument !== undefined) assert.is(json.error.argument, c.argument, c.what);
}

test(`the catalogue holds at least 200 bad inputs and faults (${cases.length} in the library, ${cliCases.length} on the command line)`, () => {
  assert.ok(cases.length + cliCases.length >= 200);
  const areas = new Set(cases.map((c) => c.area));
  for (const area of [
    'ops',
    'layers',
    'optimizers',
    'schedules',
    'clipping',
    'state dicts',
    'safetensors',
    'checkpoints',
  ])
    assert.ok(areas.has(area), area);
});

for (const c of cases) test(`${c.area}: ${c.what}`, () => check(c));
const outcomes = runAll(cliCases);
cliCases.forEach((c, q) => test(`rnnlab: ${c.what}`, async () => checkCli(c, await outcomes[q])));

test('a failed write names its path and leaves no temporary file; stale temporary files of dead writers are removed', () => {
  const target = join(dir, 'atomic', 'model.safetensors');
  mkdirSync(join(dir, 'atomic'));
  // A file-size limit makes the write fail part-way (EFBIG), as a full disk would (ENOSPC).
  const script = `import('${join(repoRoot, 'dist/index.js')}').then(({ writeFileAtomic }) => writeFileAtomic(${JSON.stringify(target)}, new Uint8Array(1 << 20)))`;
  const r = spawnSync(
    'bash',
    ['-c', `trap '' XFSZ; ulimit -f 64; exec "${process.execPath}" -e "${script.replace(/"/g, '\\"')}"`],
    { encoding: 'utf8' },
  );
  assert.is.not(r.status, 0);
  assert.match(r.stderr, `cannot write ${target}: EFBIG`);
  assert.equal(readdirSync(join(dir, 'atomic')), [], 'the temporary file is gone');
  const stale = `${target}.tmp-2147483646-1`,
    mine = `${target}.tmp-${process.pid}-1`,
    other = join(dir, 'atomic', 'curve.json.tmp-2147483645-7');
  writeFileSync(stale, 'left by a killed writer');
  writeFileSync(other, 'left by a killed writer of another file');
  writeFileSync(mine, 'this process is alive');
  writeFileAtomic(target, 'whole');
  assert.equal(readdirSync(join(dir, 'atomic')).sort(), [
    'model.safetensors',
    `model.safetensors.tmp-${process.pid}-1`,
  ]);
  assert.is(readFileSync(target, 'utf8'), 'whole');
});

test('a load from a folder removes the temporary files killed writers left there (a resume included)', () => {
  const folder = join(dir, 'after-a-kill');
  mkdirSync(folder);
  const checkpoint = join(folder, 'model.safetensors');
  writeFileSync(checkpoint, readFileSync(savedRun.path));
  const left = [`model.safetensors.tmp-2147483646-${Date.now()}`, 'report.html.tmp-2147483645-3'];
  for (const name of left) writeFileSync(join(folder, name), 'cut short by SIGKILL');
  loadSafetensors(checkpoint);
  assert.equal(readdirSync(folder), ['model.safetensors']);
  writeFileSync(join(folder, left[0]), 'cut short again');
  resumeRun(folder);
  assert.equal(readdirSync(folder), ['model.safetensors'], 'resuming the run folder removes them too');
});

test.after(async () => {
  await Promise.all(outcomes);
  rmSync(dir, { recursive: true });
});

test.run();
