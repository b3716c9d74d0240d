// The spec runner, in two tiers: `npm test` runs the fast one (every spec file but the slow
// ones), `npm run test:slow` the slow one (the browser, the benchmarks, and the long
// learning and memory runs); `node dist/spec/run.js NAME` runs the files whose name holds
// NAME, from either tier. Every spec file runs in its own process, on each backend: wasm
// (where the runtime supports it) and js, or only the one RNNLAB_BACKEND names (the wasm
// kernels' own specs on the wasm pass only). Two files run at a time (this machine has two
// cores), the longest first.
//
// A process per file, because on the wasm backend buffers go back to the heap only when the
// event loop turns, and one process running every spec in turn (uvu awaits between tests,
// which lets no task run) would fill the heap with the models of earlier files, so that
// later files would test the fallbacks instead of the wasm kernels.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { wasmAvailable } from '../index.js';
import { repoRoot } from './helpers.js';

interface Outcome {
  file: string;
  backend: string;
  ok: boolean;
  total: number;
  passed: number;
  seconds: number;
  output: string;
}

/** The slow tier, in seconds a file here (js, wasm): 182, 88; 59, 24; 50, 43; 30, 26; 13, 13. */
const slowTier = ['browser.spec.js', 'wordVectors.spec.js', 'memoryFlat.spec.js', 'bench.spec.js', 'examples.spec.js'];
/** The fast tier's longest files, started first so that the two lanes end together. */
const longFirst = ['resume.spec.js', 'catalogue.spec.js', 'cli.spec.js', 'brown.spec.js', 'readme.spec.js'];

const specDir = join(repoRoot, 'dist', 'spec');
const args = process.argv.slice(2);
const slow = args.includes('--slow'),
  only = args.find((a) => !a.startsWith('--'));
const inTier = (f: string) => (only !== undefined ? f.includes(only) : slowTier.includes(f) === slow);
const rank = (f: string) =>
  slowTier.includes(f)
    ? slowTier.indexOf(f)
    : longFirst.includes(f)
      ? slowTier.length + longFirst.indexOf(f)
      : Infinity;
const files = readdirSync(specDir)
  .filter((f) => f.endsWith('.spec.js') && inTier(f))
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
const named = process.env.RNNLAB_BACKEND;
const backends = named !== undefined && named !== '' ? [named] : wasmAvailable().ok ? ['wasm', 'js'] : ['js'];

function runFile(file: string, backend: string): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', pathToFileURL(join(specDir, 'backendFromEnvironment.js')).href, join(specDir, file)],
      { cwd: repoRoot, env: { ...process.env, RNNLAB_BACKEND: backend } },
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => {
      const total = Number(/Total:\s+(\d+)/.exec(output)?.[1] ?? 0),
        passed = Number(/Passed:\s+(\d+)/.exec(output)?.[1] ?? 0);
      resolve({
        file,
        backend,
        ok: code === 0 && total > 0 && passed === total,
        total,
        passed,
        seconds: (Date.now() - started) / 1000,
        output,
      });
    });
  });
}

/** The wasm kernels' own specs (wasm*.spec.js) set the backends they compare themselves: they run once, on the wasm pass. */
const wasmOnly = (file: string) => file.startsWith('wasm');

async function main(): Promise<number> {
  const jobs = files.flatMap((file) =>
    backends.filter((backend) => backend === 'wasm' || !wasmOnly(file)).map((backend) => ({ file, backend })),
  );
  if (jobs.length === 0)
    throw new Error(`no spec file ${only === undefined ? 'in this tier' : `whose name holds '${only}'`}`);
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const { file, backend } = jobs[next++];
      const o = await runFile(file, backend);
      outcomes.push(o);
      console.log(
        `${o.ok ? 'ok  ' : 'FAIL'} ${backend.padEnd(4)} ${file.padEnd(28)} ${String(o.passed).padStart(3)}/${String(o.total).padEnd(3)} ${o.seconds.toFixed(1)} s`,
      );
      if (!o.ok) console.log(o.output);
    }
  };
  await Promise.all([worker(), worker()]);
  const failed = outcomes.filter((o) => !o.ok);
  for (const backend of backends) {
    const mine = outcomes.filter((o) => o.backend === backend);
    const total = mine.reduce((s, o) => s + o.total, 0),
      passed = mine.reduce((s, o) => s + o.passed, 0);
    console.log(`${backend}: ${passed} of ${total} specs passed in ${mine.length} files`);
  }
  if (failed.length > 0) console.log(`failed: ${failed.map((o) => `${o.file} (${o.backend})`).join(', ')}`);
  return failed.length === 0 ? 0 : 1;
}

process.exitCode = await main();
