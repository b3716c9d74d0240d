// The shapes of the catalogue's cases (spec/catalogue.spec.ts runs them).

export type ErrorClass = abstract new (...args: never[]) => Error;

export interface Case {
  area: string;
  /** What is wrong. */
  what: string;
  run: () => unknown;
  error: ErrorClass;
  /** Texts the message must hold: the argument, what was expected, what came. */
  argument: string;
  expected: string;
  got: string;
}

export interface CliCase {
  what: string;
  args: string[];
  stdin?: string;
  /** 2: bad usage; 1: a failure of what was asked. */
  code: 1 | 2;
  /** Texts the message must hold. */
  parts: string[];
  /** Variables set for the run (RNNLAB_BACKEND, say). */
  env?: Record<string, string>;
  /** The flag or value the JSON error names, for a usage error. */
  argument?: string;
}
