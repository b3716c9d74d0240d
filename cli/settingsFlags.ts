// The library names a run's settings (settings.hiddenSize); the command line names flags
// (--hidden). A setting the library refuses is reported in the flags' words, as a usage error.
import { AllocationError, ArgumentError, type RunSettings } from '../index.js';
import { UsageError } from './args.js';

/** Each setting's flag, for the commands that set it. */
export type SettingFlags = Partial<Record<keyof RunSettings, string>>;

/**
 * `createRun: settings.cell must be …, got 'mut1'` as `train: --cell must be …, got 'mut1'`,
 * every settings.X in the message named by its flag; any other error as it is.
 */
export function inFlagWords(
  command: string,
  err: unknown,
  flags: SettingFlags,
  sizes: readonly [flag: string, value: unknown][] = [],
): unknown {
  if (err instanceof AllocationError) {
    const given = sizes
      .filter(([, v]) => v !== undefined)
      .map(([f, v]) => `--${f} ${Array.isArray(v) ? v.join(',') : v}`);
    const names = sizes.map(([f]) => `--${f}`);
    const flag = sizes.find(([, v]) => v !== undefined)?.[0] ?? sizes[0]?.[0];
    return new UsageError(
      `${command}: the run these flags describe needs ${err.got}, more than this process can allocate; lower ${names.join(', ')}${given.length > 0 ? ` (now ${given.join(' ')})` : ''}`,
      flag === undefined ? undefined : `--${flag}`,
    );
  }
  if (!(err instanceof ArgumentError) || err.where !== 'createRun' || !err.argument.startsWith('settings.')) return err;
  const name = (text: string) =>
    text.replace(/settings\.(\w+)/g, (whole, key: keyof RunSettings) =>
      flags[key] === undefined ? whole : `--${flags[key]}`,
    );
  const flag = name(err.argument);
  if (!flag.startsWith('--')) return err;
  return new UsageError(`${command}: ${flag} must be ${name(err.expected)}, got ${err.got}`, flag);
}
