// A small command-line parser: `--name value`, `--name=value` and boolean `--flag`.
// Unknown options and malformed values are errors that name the option, what it takes and
// what came. Numbers are read strictly: an integer is decimal digits (with a sign), a real
// is a decimal number with an optional exponent; `0x10`, `1_000`, `Infinity` and `''` are
// refused, as is a value outside the option's range.

export interface OptionSpec {
  /**
   * 'flag' takes no value; 'string' takes any text (one of `choices` when given); 'integer'
   * and 'real' take one number; 'strings', 'integers' and 'reals' a comma-separated list,
   * every item checked and none repeated.
   */
  type: 'flag' | 'string' | 'integer' | 'real' | 'strings' | 'integers' | 'reals';
  help: string;
  /** The default shown in --help (and used when the option is absent). */
  default?: string | number | boolean | readonly (string | number)[];
  /** For 'string' and 'strings': the accepted values. */
  choices?: readonly string[];
  /** For numbers: the smallest value accepted (or the bound it must exceed, with `exclusiveMin`). */
  min?: number;
  exclusiveMin?: boolean;
  /** For numbers: the largest value accepted. */
  max?: number;
}

export type OptionSpecs = Record<string, OptionSpec>;
export type OptionValue = string | number | boolean | readonly string[] | readonly number[] | undefined;
export type ParsedOptions = Record<string, OptionValue>;

/** A command used wrongly: the CLI prints the message and exits 2. `argument` names the flag at fault. */
export class UsageError extends Error {
  override name = 'UsageError';

  constructor(
    message: string,
    readonly argument?: string,
  ) {
    super(message);
  }
}

export function parseArgs(
  command: string,
  argv: readonly string[],
  specs: OptionSpecs,
): { options: ParsedOptions; positional: string[] } {
  const options: ParsedOptions = {};
  const positional: string[] = [];
  for (const [name, spec] of Object.entries(specs)) options[name] = spec.default as OptionValue;
  for (let q = 0; q < argv.length; q++) {
    const arg = argv[q];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = specs[name];
    if (spec === undefined) {
      throw new UsageError(`${command}: unknown option --${name}; see 'rnnlab ${command} --help'`, `--${name}`);
    }
    if (spec.type === 'flag') {
      if (eq >= 0)
        throw new UsageError(`${command}: --${name} takes no value, got '${arg.slice(eq + 1)}'`, `--${name}`);
      options[name] = true;
      continue;
    }
    const raw = eq >= 0 ? arg.slice(eq + 1) : argv[++q];
    if (raw === undefined || (eq < 0 && raw.startsWith('--')))
      throw new UsageError(`${command}: --${name} needs a value`, `--${name}`);
    options[name] = convert(command, name, spec, raw);
  }
  return { options, positional };
}

const INTEGER = /^[+-]?\d+$/;
const REAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** What a number option takes, in words: "an integer ≥ 1", "a number in (0, 1]". */
export function describeNumber(spec: OptionSpec): string {
  const integer = spec.type === 'integer' || spec.type === 'integers';
  const what = integer ? 'an integer' : 'a number';
  const { min, max } = spec;
  if (min !== undefined && max !== undefined) return `${what} in ${spec.exclusiveMin ? '(' : '['}${min}, ${max}]`;
  if (min !== undefined) return `${what} ${spec.exclusiveMin ? '>' : '≥'} ${min}`;
  if (max !== undefined) return `${what} ≤ ${max}`;
  return what;
}

/** One number, or the fault that makes it not one this option takes ('' when it is only out of range). */
function readNumber(spec: OptionSpec, raw: string): { value: number } | { fault: string } {
  const integer = spec.type === 'integer' || spec.type === 'integers';
  if (!(integer ? INTEGER : REAL).test(raw))
    return { fault: integer ? 'written in decimal digits' : 'written as a decimal number, with an optional exponent' };
  const value = Number(raw);
  if (integer && !Number.isSafeInteger(value)) return { fault: `no larger than ${Number.MAX_SAFE_INTEGER}` };
  if (!Number.isFinite(value)) return { fault: 'finite' };
  const { min, max } = spec;
  const inRange =
    (min === undefined || (spec.exclusiveMin ? value > min : value >= min)) && (max === undefined || value <= max);
  return inRange ? { value } : { fault: '' };
}

function convert(command: string, name: string, spec: OptionSpec, raw: string): OptionValue {
  const fail = (wanted: string, got: string): never => {
    throw new UsageError(`${command}: --${name} must be ${wanted}, got ${got}`, `--${name}`);
  };
  if (spec.type === 'integer' || spec.type === 'real') {
    const read = readNumber(spec, raw);
    if ('fault' in read) fail(`${describeNumber(spec)}${read.fault === '' ? '' : `, ${read.fault}`}`, `'${raw}'`);
    return (read as { value: number }).value;
  }
  if (spec.type === 'string') {
    if (spec.choices !== undefined && !spec.choices.includes(raw))
      fail(`one of ${spec.choices.join(', ')}`, `'${raw}'`);
    return raw;
  }
  // A list: every item is read as the single option would be, and none may come twice.
  const items = raw.split(',').map((s) => s.trim());
  const wanted =
    spec.type === 'strings'
      ? `a comma-separated list of ${spec.choices === undefined ? 'names' : `names among ${spec.choices.join(', ')}`}`
      : `a comma-separated list of ${describeNumber(spec).replace(/^an? (integer|number)/, '$1s')}`;
  if (items.some((s) => s === '')) fail(wanted, `'${raw}' (an empty item)`);
  const values = items.map((item) => {
    if (spec.type === 'strings') {
      if (spec.choices !== undefined && !spec.choices.includes(item)) fail(wanted, `'${item}' in '${raw}'`);
      return item;
    }
    const read = readNumber(spec, item);
    if ('fault' in read) fail(`${wanted}${read.fault === '' ? '' : `, each ${read.fault}`}`, `'${item}' in '${raw}'`);
    return (read as { value: number }).value;
  });
  const twice = values.find((v, q) => values.indexOf(v) !== q);
  if (twice !== undefined) fail(`${wanted}, none twice`, `'${raw}', where ${twice} comes twice`);
  return values as readonly string[] | readonly number[];
}

export function formatHelp(command: string, summary: string, usage: string, specs: OptionSpecs): string {
  const lines = [`rnnlab ${command}: ${summary}`, '', `usage: rnnlab ${command} ${usage}`.trimEnd(), '', 'options:'];
  const width = Math.max(...Object.keys(specs).map((n) => n.length + (specs[n].type === 'flag' ? 0 : 6))) + 4;
  for (const [name, spec] of Object.entries(specs)) {
    const left = `--${name}${spec.type === 'flag' ? '' : ' VALUE'}`;
    const numeric =
      spec.type === 'integer' || spec.type === 'real' || spec.type === 'integers' || spec.type === 'reals';
    const extra = spec.choices ? ` (${spec.choices.join('|')})` : numeric ? ` (${describeNumber(spec)})` : '';
    const shown = Array.isArray(spec.default) ? spec.default.join(',') : spec.default;
    const dflt = shown !== undefined && spec.type !== 'flag' ? ` [default ${shown}]` : '';
    lines.push(`  ${left.padEnd(width)}${spec.help}${extra}${dflt}`);
  }
  return lines.join('\n');
}
