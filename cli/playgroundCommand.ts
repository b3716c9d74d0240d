// `rnnlab playground`: a local web server for the playground page (playground/), which trains
// a model in the browser with the library itself. node:http only. It serves the page, the
// compiled modules of the browser module graph (nothing else from dist/), and the Brown text
// for the character task, every response with the headers that make the page
// cross-origin isolated (COOP/COEP), so that it may share WebAssembly memory.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { loadBrown, rawText } from '../index.js';
import type { Command } from './command.js';
import { moduleGraph } from './moduleGraph.js';

const dist = fileURLToPath(new URL('..', import.meta.url));
const pageFolder = join(dist, '..', 'playground');
export const pageEntries = ['playground/main.js', 'playground/worker.js'];
/** How much Brown text the page trains on (of 4.8 million characters), and holds out. */
const TRAIN_CHARS = 1_000_000;
const DEV_CHARS = 20_000;

const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

const types: Record<string, string> = {
  html: 'text/html',
  css: 'text/css',
  js: 'text/javascript',
  json: 'application/json',
};

/** What each path serves: the page, its style sheet, the module graph, the Brown text. */
function routes(): Map<string, () => string> {
  const files = new Map<string, () => string>([
    ['/', () => readFileSync(join(pageFolder, 'index.html'), 'utf8')],
    ['/playground/style.css', () => readFileSync(join(pageFolder, 'style.css'), 'utf8')],
  ]);
  const graph = moduleGraph(dist, pageEntries);
  if (graph.external.length > 0)
    throw new Error(`playground: the page's modules import what a browser cannot load: ${graph.external.join(', ')}`);
  for (const path of graph.modules) files.set(`/${path}`, () => readFileSync(join(dist, path), 'utf8'));
  let brown: string | null = null;
  files.set('/data/brown.json', () => {
    if (brown === null) {
      const splits = loadBrown('brown');
      brown = JSON.stringify({
        train: rawText(splits.train).slice(0, TRAIN_CHARS),
        dev: rawText(splits.dev).slice(0, DEV_CHARS),
      });
    }
    return brown;
  });
  return files;
}

/** The path of an origin-form request target (`/a/b?q`), or null for anything else. */
function requestPath(target: string | undefined): string | null {
  if (target === undefined || !target.startsWith('/') || target.startsWith('//')) return null;
  return target.split(/[?#]/)[0];
}

/**
 * Whether the Host header names this server as the page reaches it: 127.0.0.1, localhost or
 * [::1] at the port it listens on. Any other name is refused, so that a page of another origin
 * whose name was rebound to 127.0.0.1 (DNS rebinding) cannot read what this server sends.
 */
function hostIsLocal(host: string | undefined, port: number): boolean {
  return (
    host !== undefined && ['127.0.0.1', 'localhost', '[::1]'].some((name) => host.toLowerCase() === `${name}:${port}`)
  );
}

/**
 * The server, not yet listening. No request can stop it: a target it cannot parse gets a 400,
 * a foreign Host a 403, and a request the HTTP parser rejects a 400 from Node itself.
 */
export function playgroundServer(): Server {
  const files = routes();
  return createServer((request: IncomingMessage, response: ServerResponse) => {
    const send = (status: number, type: string, body: string) => {
      response.writeHead(status, { ...isolation, 'Content-Type': `${type}; charset=utf-8` });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    try {
      const path = requestPath(request.url);
      if (path === null) return send(400, 'text/plain', 'the request target must be a path that starts with one /\n');
      if (!hostIsLocal(request.headers.host, request.socket.localPort ?? -1)) {
        return send(
          403,
          'text/plain',
          `this server answers only to 127.0.0.1, localhost and [::1] at its port, not to the host ${JSON.stringify(request.headers.host ?? '')}\n`,
        );
      }
      if (request.method !== 'GET' && request.method !== 'HEAD')
        return send(405, 'text/plain', `${request.method} is not served here\n`);
      const file = files.get(path === '/index.html' ? '/' : path);
      if (file === undefined) return send(404, 'text/plain', `no ${path} here\n`);
      send(200, types[path === '/' ? 'html' : path.split('.').pop()!] ?? 'text/plain', file());
    } catch (err) {
      if (!response.headersSent) send(500, 'text/plain', `${(err as Error).message}\n`);
      else response.destroy();
    }
  });
}

export const playgroundCommand: Command = {
  name: 'playground',
  summary: 'serve the playground page: train a model live in the browser and watch its gates, cells and gradients',
  usage: '[--port N] [--json]',
  options: {
    port: { type: 'integer', min: 0, max: 65535, help: 'the port on 127.0.0.1 (default: a free one)', default: 0 },
    json: { type: 'flag', help: 'print {"url"} as a JSON line once listening' },
    help: { type: 'flag', help: 'show this help' },
  },
  run(options) {
    const port = options.port as number;
    const server = playgroundServer();
    return new Promise<number>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(new Error(`playground: cannot listen on 127.0.0.1:${port}: ${err.message}`)),
      );
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : port}/`;
        console.log(`rnnlab playground: open ${url} (Ctrl-C stops the server)`);
        if (options.json) console.log(JSON.stringify({ url }));
      });
      const stop = () => {
        server.close();
        server.closeAllConnections();
        console.log('rnnlab playground: stopped');
        resolve(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  },
};
