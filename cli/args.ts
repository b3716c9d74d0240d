// A small command-line parser: `--name value`, `--name=value` and boolean `--flag`.
// Unknown options and malformed values are errors that name the option.

export interface OptionSpec {
  /** 'flag' takes no value; 'string' and 'number' take one. */
  type: 'flag' | 'string' | 'number';
  help: string;
  /** The default shown in --help (and used when the option is absent). */
  default?: string | number | boolean;
  /** For 'string': the accepted values. */
  choices?: readonly string[];
}

export type OptionSpecs = Record<string, OptionSpec>;
export type ParsedOptions = Record<string, string | number | boolean | undefined>;

/** A command used wrongly: the CLI prints the message and exits 2. `argument` names the flag at fault. */
export class UsageError extends Error {
  override name = 'UsageError';

  constructor(message: string, readonly argument?: string) {
    super(message);
  }
}

export function parseArgs(command: string, argv: readonly string[], specs: OptionSpecs): { options: ParsedOptions; positional: string[] } {
  const options: ParsedOptions = {};
  const positional: string[] = [];
  for (const [name, spec] of Object.entries(specs)) options[name] = spec.default;
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
      if (eq >= 0) throw new UsageError(`${command}: --${name} takes no value, got '${arg.slice(eq + 1)}'`, `--${name}`);
      options[name] = true;
      continue;
    }
    const raw = eq >= 0 ? arg.slice(eq + 1) : argv[++q];
    if (raw === undefined || (eq < 0 && raw.startsWith('--'))) throw new UsageError(`${command}: --${name} needs a value`, `--${name}`);
    options[name] = convert(command, name, spec, raw);
  }
  return { options, positional };
}

function convert(command: string, name: string, spec: OptionSpec, raw: string): string | number {
  if (spec.type === 'number') {
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value)) throw new UsageError(`${command}: --${name} must be a number, got '${raw}'`, `--${name}`);
    return value;
  }
  if (spec.choices !== undefined && !spec.choices.includes(raw)) {
    throw new UsageError(`${command}: --${name} must be one of ${spec.choices.join(', ')}, got '${raw}'`, `--${name}`);
  }
  return raw;
}

export function formatHelp(command: string, summary: string, usage: string, specs: OptionSpecs): string {
  const lines = [`rnnlab ${command}: ${summary}`, '', `usage: rnnlab ${command} ${usage}`.trimEnd(), '', 'options:'];
  const width = Math.max(...Object.keys(specs).map((n) => n.length + (specs[n].type === 'flag' ? 0 : 6))) + 4;
  for (const [name, spec] of Object.entries(specs)) {
    const left = `--${name}${spec.type === 'flag' ? '' : ' VALUE'}`;
    const extra = spec.choices ? ` (${spec.choices.join('|')})` : '';
    const dflt = spec.default !== undefined && spec.type !== 'flag' ? ` [default ${spec.default}]` : '';
    lines.push(`  ${left.padEnd(width)}${spec.help}${extra}${dflt}`);
  }
  return lines.join('\n');
}
