// The library's errors. Every bad argument is an ArgumentError whose message names where
// it happened, the argument, what was expected and what came; a NaN or infinity is a
// NonFiniteError raised where it first appears; a malformed file is a FormatError naming
// the file. Callers (the CLI's --json output, say) can read the parts as well as the message.

/** A value as a message should show it: NaN, 'text', [1,2], Float32Array(3), undefined. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.length <= 8 ? JSON.stringify(value) : `an array of ${value.length}`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<number>).length})`;
  if (typeof value === 'function') return 'a function';
  return (value as object).constructor?.name ?? 'an object';
}

/** A bad argument: `${where}: ${argument} must be ${expected}, got ${got}`. */
export class ArgumentError extends Error {
  override name = 'ArgumentError';

  /** What came, as the message shows it. */
  readonly got: string;

  /** `got` is shown with describe() unless it is already a string of text to show as it is (gotText). */
  constructor(
    readonly where: string,
    readonly argument: string,
    readonly expected: string,
    got: unknown,
    gotText = false,
  ) {
    const shown = gotText ? String(got) : describe(got);
    super(`${where}: ${argument} must be ${expected}, got ${shown}`);
    this.got = shown;
  }
}

/** A NaN or infinity where a finite number is required: `${where}: ${what} is ${value}${advice}`. */
export class NonFiniteError extends Error {
  override name = 'NonFiniteError';

  constructor(
    readonly where: string,
    readonly what: string,
    readonly value: number,
    advice = '',
  ) {
    super(`${where}: ${what} is ${value}${advice}`);
  }
}

/** A file that cannot be used as what it claims to be: `${kind} ${path} ${why}` ("checkpoint m.st holds no …"). */
export class FormatError extends Error {
  override name = 'FormatError';

  constructor(
    readonly kind: string,
    readonly path: string,
    readonly why: string,
  ) {
    super(`${kind} ${path} ${why}`);
  }
}

/** The first index of a buffer holding NaN or ±Infinity, or −1. */
export function firstNonFiniteIndex(data: ArrayLike<number>): number {
  for (let q = 0; q < data.length; q++) if (!Number.isFinite(data[q])) return q;
  return -1;
}

/** Throw a NonFiniteError naming `${label}[q]` for the first non-finite value of data. */
export function checkFiniteValues(where: string, label: string, data: ArrayLike<number>, advice = ''): void {
  const q = firstNonFiniteIndex(data);
  if (q >= 0) throw new NonFiniteError(where, `${label}[${q}]`, data[q], advice);
}
