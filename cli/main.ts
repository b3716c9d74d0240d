#!/usr/bin/env node
// The `rnnlab` command: `rnnlab <command> [options]`, `rnnlab <command> --help`.
import { formatHelp, parseArgs, UsageError } from './args.js';
import type { Command } from './command.js';
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

const commands: Command[] = [trainCommand, compareCommand, spanCommand, tagCommand, sampleCommand, vanishCommand, cellsCommand, gradcheckCommand, goldenCommand, benchCommand, playgroundCommand, analogyCommand, neighborsCommand];

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
    if (options.backend !== undefined) setBackend(options.backend as BackendName);
    if (command.positional === undefined && positional.length > 0) {
      throw new UsageError(`${command.name}: takes no positional arguments, got ${positional.map((p) => `'${p}'`).join(' ')} (options start with --)`, positional[0]);
    }
    return await command.run(options, positional);
  } catch (err) {
    return reportError(command.name, err as Error, rest.includes('--json'));
  }
}

/**
 * A failed command: its message on stderr, prefixed once with the command, and under --json
 * also {"error": {"message", "argument"?}} as the last line of stdout. Bad usage exits 2, any
 * other failure 1.
 */
function reportError(name: string, err: Error, json: boolean): number {
  const usage = err instanceof UsageError;
  const message = usage || err.message.startsWith(`${name}:`) ? err.message : `${name}: ${err.message}`;
  console.error(`rnnlab ${message}`);
  if (json) {
    const argument = (err as { argument?: unknown }).argument;
    console.log(JSON.stringify({ error: { message, ...(typeof argument === 'string' ? { argument } : {}) } }));
  }
  return usage ? 2 : 1;
}

process.exitCode = await main(process.argv.slice(2));
