#!/usr/bin/env node
// The `rnnlab` command as npm links it: the compiled CLI (dist/cli/main.js), or, in a checkout
// not built yet, a message saying how to build it (the build is never started from here: a
// command that rebuilt the project could rewrite dist/ under a running test).
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(main)) {
  await import(main.href);
} else {
  const message =
    "rnnlab: this checkout is not built yet: run 'npm run build' (npm start and npm test build it too), then 'npx rnnlab' again";
  console.error(message);
  if (process.argv.includes('--json')) console.log(JSON.stringify({ error: { message } }));
  process.exitCode = 2;
}
