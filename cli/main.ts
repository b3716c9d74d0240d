#!/usr/bin/env node
// The `rnnlab` command: `rnnlab <command> [options]`, `rnnlab <command> --help`.
import { formatHelp, parseArgs, UsageError } from './args.js';
import type { Command } from './command.js';
import { benchCommand } from './benchCommand.js';
import { vanishCommand } from './vanishCommand.js';
import { cellsCommand } from './cellsCommand.js';
import { goldenCommand } from './goldenCommand.js';
import { gradcheckCommand } from './gradcheckCommand.js';
import { trainCommand } from './trainCommand.js';
import { sampleCommand, tagCommand } from './modelCommands.js';

const commands: Command[] = [trainCommand, tagCommand, sampleCommand, vanishCommand, cellsCommand, gradcheckCommand, goldenCommand, benchCommand];

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

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === 'help' || name === '-h') {
    console.log(overview());
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (command === undefined) {
    console.error(`rnnlab: unknown command '${name}'\n\n${overview()}`);
    return 2;
  }
  try {
    const { options, positional } = parseArgs(command.name, rest, command.options);
    if (options.help) {
      console.log(formatHelp(command.name, command.summary, command.usage, command.options));
      return 0;
    }
    return await command.run(options, positional);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(err.message);
      return 2;
    }
    console.error(`rnnlab ${command.name}: ${(err as Error).message}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
