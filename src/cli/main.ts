#!/usr/bin/env node
// The ferry CLI: global options, the command list (commands/index.ts) and one error handler.
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { ExitCode } from './exit.ts';
import { commands } from './commands/index.ts';
import { reportError } from './exit.ts';
import { start } from './start.ts';
import type { GlobalOptions } from './output.ts';

export async function buildProgram(): Promise<Command> {
  const program = new Command('ferry')
    .description('One short manifest per service, deployed to Kubernetes as a recorded process.')
    .addHelpText('after', '\nferry --version prints the version of ferry itself.')
    .addOption(
      new Option('-o, --output <format>', 'output format: text or json (render also takes yaml)').choices([
        'text',
        'json',
        'yaml',
      ]),
    )
    .option('--no-color', 'no colours in the output')
    .option(
      '-C, --dir <path>',
      'where to look for ferry.platform.yaml / ferry.yaml (default: the current folder)',
    )
    .showHelpAfterError('(run ferry --help for usage)')
    .exitOverride();
  for (const load of commands) (await load()).register(program);
  program.commands.forEach((c) => c.exitOverride());
  return program;
}

function flush(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

// ferry's own version only as the first argument: `--version <v>` after a command is that
// command's option (the release version in render, deploy, diff).
function ownVersion(): string {
  const pkg: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return typeof pkg === 'object' && pkg !== null && 'version' in pkg ? String(pkg.version) : 'unknown';
}

export async function main(argv: readonly string[]): Promise<number> {
  const first = argv[2];
  if (first === '--version' || first === '-V') {
    process.stdout.write(`${ownVersion()}\n`);
    return ExitCode.ok;
  }
  const program = await buildProgram();
  try {
    await program.parseAsync([...argv]);
    // a command that printed its result and still has to say "no" (failed release, parity
    // difference) sets process.exitCode rather than throwing
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) {
        return ExitCode.ok;
      }
      // commander already printed what was wrong on stderr; -o json also gets it as a document
      if (program.opts<GlobalOptions>().output === 'json') {
        const message = err.message.replace(/^error: /, '');
        process.stdout.write(`${JSON.stringify({ error: { code: 'E_USAGE', message } }, null, 2)}\n`);
      }
      return ExitCode.invalidInput;
    }
    return reportError(err, program.opts<GlobalOptions>());
  }
}

start(main, flush, ExitCode.interrupted, async () => (await import('./warm.ts')).warm());
