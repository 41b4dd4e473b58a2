// `ferry history <service> --env <env>`: releases, newest first, with outcome and step timings.
import type { Command } from 'commander';
import { usageError } from '../../errors.ts';
import { createPrinter, workDir, type GlobalOptions } from '../output.ts';
import { openEngine, seconds, table } from './release-common.ts';

interface Flags extends GlobalOptions {
  env?: string;
  limit: string;
  before?: string;
}

function count(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw usageError('E_USAGE', `${flag} ${v}: not a count`);
  return n;
}

export function register(program: Command): void {
  program
    .command('history')
    .description('the releases of a service in an environment, with outcome and step timings')
    .argument('<service>')
    .option('-e, --env <env>', 'the environment')
    .option('--limit <n>', 'how many releases', '20')
    .option('--before <release>', 'start after this release id (the next page)')
    .action(async (service: string, _f: Flags, cmd: Command) => {
      const flags = cmd.optsWithGlobals<Flags>();
      const printer = createPrinter(flags);
      if (!flags.env) throw usageError('E_USAGE', 'which environment? pass --env <name>');
      const limit = count(flags.limit, '--limit') ?? 20;
      const before = count(flags.before, '--before');
      const [{ loadApp }, { History }] = await Promise.all([
        import('../../manifest/load.ts'),
        import('../../engine/actions/history.ts'),
      ]);
      const app = await loadApp(workDir(flags));
      const engine = await openEngine(app, {}, printer, { clusterCommand: false });
      try {
        const page = await new History(engine, app).run({
          service,
          environment: flags.env,
          limit,
          ...(before !== undefined ? { beforeId: before } : {}),
        });
        const s = printer.style;
        printer.line(
          table(
            ['RELEASE', 'KIND', 'VERSION', 'OUTCOME', 'STARTED', 'TOOK', 'BY', 'STEPS'],
            page.releases.map((e) => [
              String(e.id),
              e.kind +
                (e.sourceRelease !== undefined
                  ? ` of ${e.sourceRelease.environment === e.environment ? '' : `${e.sourceRelease.environment} `}${e.sourceRelease.id}`
                  : ''),
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
        for (const e of page.releases.filter((x) => x.message)) printer.line(`  ${e.id}: ${e.message}`);
        if (page.releases.length === 0) printer.note(`no releases of ${service} in ${flags.env} yet`);
        if (page.next !== undefined)
          printer.note(`more: ferry history ${service} --env ${flags.env} --before ${page.next}`);
        printer.json({ service, environment: flags.env, releases: page.releases, next: page.next });
      } finally {
        await engine.close();
      }
    });
}
