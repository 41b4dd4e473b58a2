// `ferry parity --old <files…> --env <env> [--from format] [--tag v] [--all]`
// Compares what the old platform runs with what ferry renders for Kubernetes, service by service,
// and applies the pitfall rules. Exit 3 when a blocking difference remains, 0 when none.
import type { Command } from 'commander';
import { usageError } from '../../errors.ts';
import { ExitCode } from '../exit.ts';
import { checkEnvironment } from '../../model/names.ts';
import { createPrinter, exitWith, type GlobalOptions } from '../output.ts';

interface Flags extends GlobalOptions {
  old?: string[];
  env?: string;
  from?: string;
  tag?: string;
  all?: boolean;
}

export function register(program: Command): void {
  program
    .command('parity')
    .description(
      'compare the old platform (its files) with what ferry renders for Kubernetes; exit 3 on a blocking difference',
    )
    .requiredOption(
      '--old <files...>',
      'the old platform’s files: compose/stack, Marathon, Chronos or Dockerrun',
    )
    .option('-e, --env <env>', 'the ferry environment to compare with')
    .option('--from <format>', 'format of the old files (default: detected)')
    .option('--tag <version>', 'the version (image tag) to render (default: the tag the old platform runs)')
    .option('--all', 'also list the aspects that match')
    .action(async (_flags: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<Flags>();
      const out = createPrinter(g);
      const { loadApp } = await import('../../manifest/load.ts');
      const { importFiles } = await import('../../import/index.ts');
      const { formatHint, parseFormat } = await import('../../import/detect.ts');
      const { parity, formatParity } = await import('../../parity/index.ts');
      const app = await loadApp(g.dir ?? '.');
      const envs = Object.keys(app.platform.manifest.environments);
      const env = g.env ?? (envs.length === 1 ? envs[0] : undefined);
      if (env === undefined)
        throw usageError(
          'E_USAGE',
          'which environment? pass --env <name>',
          `environments: ${envs.join(', ')}`,
        );
      checkEnvironment(app, env);
      const from = g.from === undefined ? undefined : parseFormat(g.from);
      if (g.from !== undefined && from === undefined)
        throw usageError('E_USAGE', `unknown format "${g.from}"`, formatHint(g.from));
      out.progress(`reading ${(g.old ?? []).join(', ')}…`);
      const old = await importFiles(g.old ?? [], from, {});
      const version = g.tag ?? old.services.find((s) => s.version !== undefined)?.version ?? 'latest';
      const result = parity(app, env, version, old);
      out.json(result);
      out.line(formatParity(result, { all: g.all === true }));
      exitWith(result.ok ? ExitCode.ok : ExitCode.rejected);
    });
}
