// `ferry history <service> --env <env>`: releases, newest first, with outcome and step timings.
import type { Command } from 'commander';
import { createPrinter, type GlobalOptions } from '../output.ts';
import { usageError } from '../../errors.ts';
import { checkEnvironment, checkServices } from '../names.ts';
import { appRoot, seconds, table } from './release-common.ts';

interface Flags extends GlobalOptions {
  env?: string;
  limit: string;
}

export function register(program: Command): void {
  program
    .command('history')
    .description('the releases of a service in an environment, with outcome and step timings')
    .argument('<service>')
    .option('-e, --env <env>', 'the environment')
    .option('--limit <n>', 'how many releases', '20')
    .action(async (service: string, _f: Flags, cmd: Command) => {
      const flags = cmd.optsWithGlobals<Flags>();
      const printer = createPrinter(flags);
      if (!flags.env) throw usageError('E_USAGE', 'which environment? pass --env <name>');
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit <= 0)
        throw usageError('E_USAGE', `--limit ${flags.limit}: not a count`);
      const [{ loadApp }, { openStore, defaultStatePath }, { History }] = await Promise.all([
        import('../../manifest/load.ts'),
        import('../../store/store.ts'),
        import('../../engine/history.ts'),
      ]);
      // the names are checked against the app, so a typo is refused instead of showing no releases
      const app = await loadApp(flags.dir ?? '.');
      checkServices(app, [service]);
      checkEnvironment(app, flags.env);
      const store = await openStore(defaultStatePath(appRoot(app, flags.dir ?? '.')));
      try {
        const entries = await new History({ store }, { service, environment: flags.env, limit }).run();
        const s = printer.style;
        printer.line(
          table(
            ['RELEASE', 'KIND', 'VERSION', 'OUTCOME', 'STARTED', 'TOOK', 'BY', 'STEPS'],
            entries.map((e) => [
              String(e.id),
              e.kind + (e.sourceRelease !== undefined ? ` of ${e.sourceRelease}` : ''),
              e.version,
              e.outcome === 'succeeded' ? s.green(e.outcome) : s.red(e.outcome),
              e.startedAt.replace('T', ' ').slice(0, 19),
              e.durationMs === undefined ? '-' : seconds(e.durationMs),
              e.actor,
              e.steps
                .filter((x) => x.outcome !== 'skipped')
                .map(
                  (x) =>
                    `${x.name}${x.outcome === 'succeeded' ? '' : `(${x.outcome})`} ${x.ms === undefined ? '?' : seconds(x.ms)}`,
                )
                .join(', '),
            ]),
          ),
        );
        for (const e of entries.filter((x) => x.message)) printer.line(`  ${e.id}: ${e.message}`);
        if (entries.length === 0) printer.note(`no releases of ${service} in ${flags.env} yet`);
        printer.json({ service, environment: flags.env, releases: entries });
      } finally {
        await store.close();
      }
    });
}
