// The ferry CLI as a function of its io (io.ts): global options, the command list
// (commands/index.ts) and one error handler. No process state is read or changed here, so tests
// run it in-process, many at once; bin/ferry's entry (main.ts) passes the process's own io.
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { commands } from './commands/index.ts';
import { ExitCode, reportError } from './exit.ts';
import { withIo, type CliIo } from './io.ts';
import type { GlobalOptions } from './output.ts';

export async function buildProgram(io: CliIo): Promise<Command> {
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
    // every subcommand's --help lists the global options (-o, -C, --no-color) too
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showHelpAfterError('(run ferry --help for usage)')
    .exitOverride();
  for (const load of commands) (await load()).register(program);
  for (const c of program.commands) c.exitOverride();
  return program;
}

// ferry's own version only as the first argument: `--version <v>` after a command is that
// command's option (the release version in render, deploy, diff).
function ownVersion(): string {
  const pkg: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return typeof pkg === 'object' && pkg !== null && 'version' in pkg ? String(pkg.version) : 'unknown';
}

/** Runs `ferry <io.argv>` and returns its exit code. */
export function runCli(io: CliIo): Promise<number> {
  return withIo(io, async () => {
    const first = io.argv[0];
    if (first === '--version' || first === '-V') {
      io.stdout.write(`${ownVersion()}\n`);
      return ExitCode.ok;
    }
    const program = await buildProgram(io);
    try {
      await program.parseAsync([...io.argv], { from: 'user' });
      return ExitCode.ok;
    } catch (err) {
      if (err instanceof CommanderError) {
        if (
          err.code === 'commander.helpDisplayed' ||
          err.code === 'commander.version' ||
          err.exitCode === 0
        ) {
          return ExitCode.ok;
        }
        // commander already printed what was wrong on stderr; -o json also gets it as a document
        if (program.opts<GlobalOptions>().output === 'json') {
          const message = err.message.replace(/^error: /, '');
          io.stdout.write(`${JSON.stringify({ error: { code: 'E_USAGE', message } }, null, 2)}\n`);
        }
        return ExitCode.invalidInput;
      }
      return reportError(err, program.opts<GlobalOptions>());
    }
  });
}
