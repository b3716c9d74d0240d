// The playground's server and the modules it serves: nothing the page loads needs Node, the
// server sends exactly the page, its module graph and the Brown text, with the headers that
// isolate the page, and the CLI command starts and stops. The page itself, in Chromium, is
// spec/browser.spec.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type AddressInfo } from 'node:net';
import { moduleGraph } from '../cli/moduleGraph.js';
import { pageEntries, playgroundServer } from '../cli/playgroundCommand.js';
import { parseConfig, formatConfig, defaults } from '../playground/config.js';
import { repoRoot } from './helpers.js';

const dist = join(repoRoot, 'dist');
const cli = join(dist, 'cli', 'main.js');

test('the module graph follows imports, dynamic imports and workers, and names what is not a relative file', () => {
  const graph = moduleGraph(dist, pageEntries);
  assert.ok(graph.modules.includes('playground/worker.js'), 'the worker, reached from new Worker(...)');
  assert.ok(
    graph.modules.includes('browser.js') && graph.modules.includes('kernels/wasm/gemm.js'),
    'the library through browser.js',
  );
  assert.ok(
    !graph.modules.some((m) => m.startsWith('cli/') || m === 'core/files.js' || m === 'data/brown.js'),
    'no Node-side module',
  );
  assert.equal(graph.external, []);
});

test('no module of the page uses a Node-only API', () => {
  const nodeOnly =
    /\bfrom\s*['"]node:|\brequire\(|(?<![\w.?])process\.|\bBuffer\.|__dirname|__filename|\bsetImmediate\(/;
  for (const path of moduleGraph(dist, pageEntries).modules) {
    const source = readFileSync(join(dist, path), 'utf8');
    assert.not.ok(nodeOnly.test(source), `${path} uses ${nodeOnly.exec(source)?.[0]}`);
  }
  // The page's program type-checks without Node's types (playground/tsconfig.json): the build is the check.
  const config = JSON.parse(readFileSync(join(repoRoot, 'playground', 'tsconfig.json'), 'utf8'));
  assert.equal(config.compilerOptions.types, []);
});

test('a configuration survives the URL, and a bad value keeps its default and is named', () => {
  const config = {
    ...defaults,
    task: 'quotes' as const,
    cell: 'gru' as const,
    resetAfter: false,
    updateGate: 'writes' as const,
    hidden: 16,
    lr: 0.02,
    backend: 'js' as const,
  };
  assert.equal(parseConfig(formatConfig(config)), { config, ignored: [] });
  const bad = parseConfig('cell=lstmm&hidden=2.5&lr=-1&seed=3');
  assert.equal(bad.config, { ...defaults, seed: 3 });
  assert.equal(bad.ignored, ['cell=lstmm', 'hidden=2.5', 'lr=-1']);
});

async function withServer(body: (base: string) => Promise<void>): Promise<void> {
  const server = playgroundServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await body(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

test('the server sends the page, its modules and the Brown text, isolated, and nothing else', async () => {
  await withServer(async (base) => {
    const page = await fetch(`${base}/`);
    assert.is(page.status, 200);
    assert.is(page.headers.get('cross-origin-opener-policy'), 'same-origin');
    assert.is(page.headers.get('cross-origin-embedder-policy'), 'require-corp');
    assert.match(await page.text(), /<script type="module" src="\/playground\/main.js">/);
    const worker = await fetch(`${base}/playground/worker.js`);
    assert.is(worker.status, 200);
    assert.match(worker.headers.get('content-type')!, /^text\/javascript/);
    assert.is((await fetch(`${base}/kernels/wasm/gemm.js`)).status, 200);
    for (const hidden of ['/cli/main.js', '/core/files.js', '/package.json', '/../package.json', '/spec/run.js']) {
      assert.is((await fetch(`${base}${hidden}`)).status, 404, hidden);
    }
    assert.is((await fetch(`${base}/`, { method: 'POST' })).status, 405);
    const brown = (await (await fetch(`${base}/data/brown.json`)).json()) as { train: string; dev: string };
    assert.is(brown.train.length, 1_000_000);
    assert.is(brown.dev.length, 20_000);
    assert.ok(brown.train.startsWith('The Fulton County Grand Jury'));
  });
});

/** The served CLI: its URL, and a stop that sends SIGINT and resolves with the exit code. */
async function startPlayground(): Promise<{
  url: string;
  output: () => string;
  stop: () => Promise<number | null>;
  exited: () => boolean;
}> {
  const child = spawn(process.execPath, [cli, 'playground', '--json'], { cwd: repoRoot });
  let out = '',
    exited = false;
  child.stderr.on('data', (chunk) => (out += chunk));
  child.on('exit', () => (exited = true));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line !== undefined) resolve(JSON.parse(line).url);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  const stop = () =>
    new Promise<number | null>((resolve) => {
      child.removeAllListeners('exit');
      if (exited) return resolve(child.exitCode);
      child.on('exit', resolve);
      child.kill('SIGINT');
    });
  return { url, output: () => out, stop, exited: () => exited };
}

/** What the server answers to raw bytes on a socket: its status line (or '' if it closed without one). */
function rawRequest(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer.split('\r\n')[0]));
    socket.end(bytes);
  });
}

test('rnnlab playground prints its URL, serves, and stops on SIGINT', async () => {
  const server = await startPlayground();
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.is((await fetch(server.url)).status, 200);
  assert.is(await server.stop(), 0);
  assert.match(server.output(), /stopped/);
});

test('no request stops the server: a target or request it cannot parse gets a 400, a foreign Host a 403', async () => {
  const server = await startPlayground();
  const port = Number(new URL(server.url).port),
    host = `Host: 127.0.0.1:${port}\r\n`;
  const cases: [request: string, status: RegExp][] = [
    // Targets the URL parser rejects (each once stopped the server with an uncaught TypeError).
    [`GET //[ HTTP/1.1\r\n${host}\r\n`, / 400 /],
    [`GET //%zz HTTP/1.1\r\n${host}\r\n`, / 400 /],
    [`GET http://[::1 HTTP/1.1\r\n${host}\r\n`, / 400 /],
    [`GET //a:b:c/ HTTP/1.1\r\n${host}\r\n`, / 400 /],
    [`GET * HTTP/1.1\r\n${host}\r\n`, / 400 /],
    [`GET http://127.0.0.1:${port}/ HTTP/1.1\r\n${host}\r\n`, / 400 /],
    // Requests Node's HTTP parser rejects.
    ['NOT A REQUEST\r\n\r\n', / 400 /],
    [`GET / HTTP/9.9\r\n${host}\r\n`, / 400 /],
    [`GET /\x00 HTTP/1.1\r\n${host}\r\n`, / 400 /],
    [`GET / HTTP/1.1\r\n${host}Content-Length: x\r\n\r\n`, / 400 /],
    // Hosts other than this server's own names at its port (DNS rebinding), or none.
    [`GET / HTTP/1.1\r\nHost: attacker.example:${port}\r\n\r\n`, / 403 /],
    [`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port + 1}\r\n\r\n`, / 403 /],
    [`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`, / 403 /],
    ['GET / HTTP/1.0\r\n\r\n', / 403 /],
    // The names it answers to.
    [`GET / HTTP/1.1\r\nHost: localhost:${port}\r\nConnection: close\r\n\r\n`, / 200 /],
    [`GET / HTTP/1.1\r\nHost: [::1]:${port}\r\nConnection: close\r\n\r\n`, / 200 /],
    [`GET /?a=1 HTTP/1.1\r\n${host}Connection: close\r\n\r\n`, / 200 /],
  ];
  for (const [request, status] of cases) {
    assert.match(await rawRequest(port, request), status, JSON.stringify(request));
    assert.not.ok(server.exited(), `the server is still running after ${JSON.stringify(request)}: ${server.output()}`);
  }
  assert.is((await fetch(server.url)).status, 200, 'a normal GET afterwards');
  assert.is(await server.stop(), 0);
});

test('rnnlab playground refuses a bad port, as JSON under --json', () => {
  const r = spawnSync(process.execPath, [cli, 'playground', '--port', '70000', '--json'], {
    encoding: 'utf8',
    cwd: repoRoot,
  });
  assert.is(r.status, 2);
  assert.equal(JSON.parse(r.stdout.trim().split('\n').at(-1)!).error.argument, '--port');
});

test.run();
