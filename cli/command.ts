// What every rnnlab command is: a name, a one-line summary, its options, and a run function.
// Every command takes --help and --json; with --json the last line printed is one JSON object.
import { UsageError, type OptionSpecs, type ParsedOptions } from './args.js';

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: OptionSpecs;
  /** What the command's positional arguments are (files, say); without this it takes none. */
  positional?: string;
  /** Returns the process exit code. */
  run(options: ParsedOptions, positional: string[]): Promise<number> | number;
}

export const commonOptions: OptionSpecs = {
  backend: {
    type: 'string',
    help: 'the float32 kernels: js (TypeScript) or wasm (WebAssembly SIMD); default wasm where supported, else js, or RNNLAB_BACKEND',
    choices: ['js', 'wasm'],
  },
  json: { type: 'flag', help: 'print one JSON object as the last line' },
  help: { type: 'flag', help: 'show this help' },
};

/**
 * A failed command: its message on stderr, prefixed once with the command, and under --json
 * also {"error": {"message", "argument"?}} as the last line of stdout. Bad usage exits 2, any
 * other failure 1. Returns the exit code.
 */
export function reportError(name: string, err: Error, json: boolean): number {
  const usage = err instanceof UsageError;
  const message = usage || err.message.startsWith(`${name}:`) ? err.message : `${name}: ${err.message}`;
  console.error(name === 'rnnlab' ? message : `rnnlab ${message}`);
  if (json) {
    const argument = (err as { argument?: unknown }).argument;
    console.log(JSON.stringify({ error: { message, ...(typeof argument === 'string' ? { argument } : {}) } }));
  }
  return usage ? 2 : 1;
}
