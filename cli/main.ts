#!/usr/bin/env node
// The `rnnlab` command's entry point. It chooses the backend RNNLAB_BACKEND names first, at
// start-up, so that a bad name is a usage error like a bad --backend (exit 2, JSON under
// --json) before the program is loaded; --backend, read later, overrides it.
import { UsageError } from './args.js';
import { reportError } from './command.js';
import { setBackendByVariable } from '../core/backend.js';

const argv = process.argv.slice(2);
try {
  setBackendByVariable('RNNLAB_BACKEND', process.env.RNNLAB_BACKEND);
  const { runProgram } = await import('./program.js');
  process.exitCode = await runProgram(argv);
} catch (err) {
  const usage = err instanceof UsageError ? err : new UsageError(`rnnlab: ${(err as Error).message}`, 'RNNLAB_BACKEND');
  process.exitCode = reportError('rnnlab', usage, argv.includes('--json'));
}
