// What every rnnlab command is: a name, a one-line summary, its options, and a run function.
// Every command takes --help and --json; with --json the last line printed is one JSON object.
import type { OptionSpecs, ParsedOptions } from './args.js';

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
  backend: { type: 'string', help: 'the float32 kernels: js (TypeScript) or wasm (WebAssembly SIMD); default wasm where supported, else js, or RNNLAB_BACKEND', choices: ['js', 'wasm'] },
  json: { type: 'flag', help: 'print one JSON object as the last line' },
  help: { type: 'flag', help: 'show this help' },
};
