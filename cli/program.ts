// The `rnnlab` command: `rnnlab <command> [options]`, `rnnlab <command> --help`, loaded by
// cli/main.ts once the environment is checked.
import { readFileSync } from 'node:fs';
import { formatHelp, parseArgs, UsageError } from './args.js';
import { reportError, type Command } from './command.js';
import { setBackend, type BackendName } from '../index.js';
import { benchCommand } from './benchCommand.js';
import { playgroundCommand } from './playgroundCommand.js';
import { analogyCommand, neighborsCommand } from './wordCommands.js';
import { vanishCommand } from './vanishCommand.js';
import { cellsCommand } from './cellsCommand.js';
import { goldenCommand } from './goldenCommand.js';
import { gradcheckCommand } from './gradcheckCommand.js';
import { trainCommand } from './trainCommand.js';
import { compareCommand, spanCommand } from './gridCommands.js';
import { sampleCommand, tagCommand } from './modelCommands.js';

const commands: Command[] = [
  trainCommand,
  compareCommand,
  spanCommand,
  tagCommand,
  sampleCommand,
  vanishCommand,
  cellsCommand,
  gradcheckCommand,
  goldenCommand,
  benchCommand,
  playgroundCommand,
  analogyCommand,
  neighborsCommand,
];

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    'rnnlab: recurrent networks from scratch, with gradients you can check',
    '',
    'usage: rnnlab <command> [options]      rnnlab <command> --help',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
  ].join('\n');
}

/** The package's version, from its package.json. */
function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string })
    .version;
}

export async function runProgram(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const json = argv.includes('--json');
  if (name === '--help' || name === 'help' || name === '-h') {
    console.log(overview());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    console.log(json ? JSON.stringify({ version: version() }) : `rnnlab ${version()}`);
    return 0;
  }
  if (name === undefined || name.startsWith('-')) {
    const error = new UsageError(
      `rnnlab: ${name === undefined ? 'give a command' : `give a command before the options, got ${name}`}`,
      name,
    );
    console.error(`${overview()}\n`);
    return reportError('rnnlab', error, json);
  }
  const command = commands.find((c) => c.name === name);
  if (command === undefined) {
    console.error(`${overview()}\n`);
    return reportError(
      'rnnlab',
      new UsageError(
        `rnnlab: unknown command '${name}'; the commands are ${commands.map((c) => c.name).join(', ')}`,
        name,
      ),
      json,
    );
  }
  try {
    const { options, positional } = parseArgs(command.name, rest, command.options);
    if (options.help) {
      console.log(formatHelp(command.name, command.summary, command.usage, command.options));
      return 0;
    }
    if (options.backend !== undefined) setBackend(options.backend as BackendName);
    if (command.positional === undefined && positional.length > 0) {
      throw new UsageError(
        `${command.name}: takes no positional arguments, got ${positional.map((p) => `'${p}'`).join(' ')} (options start with --)`,
        positional[0],
      );
    }
    return await command.run(options, positional);
  } catch (err) {
    return reportError(command.name, err as Error, json);
  }
}
