// `ferry status [service…] [--env <env>]`: services × environments × version × health (live),
// drift, and the last release (store). Exit 0 when all is well, 3 when a service is failed,
// 1 when a cluster cannot be reached.
import type { Command } from 'commander';
import { ExitCode } from '../exit.ts';
import type { StatusLine } from '../remote/status.ts';
import { createPrinter, exitWith, workDir, type GlobalOptions, type Printer } from '../output.ts';
import {
  addClusterOptions,
  addServerOptions,
  openEngine,
  remoteClient,
  table,
  type ClusterFlags,
  type ServerFlags,
} from './release-common.ts';

interface Flags extends GlobalOptions, ClusterFlags, ServerFlags {
  env?: string;
}

/** The status table (stdout) and its -o json document, the same for a local and a remote status. */
export function printStatus(printer: Printer, rows: readonly StatusLine[]): void {
  const s = printer.style;
  const colour = (h: string) =>
    h === 'healthy' || h === 'cron-only'
      ? s.green(h)
      : h === 'progressing' || h === 'missing'
        ? s.yellow(h)
        : s.red(h);
  printer.line(
    table(
      ['SERVICE', 'ENV', 'VERSION', 'HEALTH', 'READY', 'DRIFT', 'LAST RELEASE'],
      rows.map((r) => [
        r.service,
        r.environment,
        r.liveVersion ?? '-',
        colour(r.health),
        r.ready,
        r.drift.length ? s.yellow(`${r.drift.length} field${r.drift.length === 1 ? '' : 's'}`) : '-',
        r.release
          ? `${r.release.id} ${r.release.kind} ${r.release.version} ${r.release.outcome} ${r.release.startedAt}`
          : '-',
      ]),
    ),
  );
  for (const r of rows) {
    if (r.health === 'unknown') printer.note(`${r.service}/${r.environment}: ${r.message}`);
    for (const d of r.drift) printer.note(`${r.service}/${r.environment}: drift: ${d}`);
    for (const c of r.crons ?? [])
      if (r.health === 'cron-only')
        printer.line(
          `  ${r.service}/${r.environment} cron ${c.name} "${c.schedule}": last run ${c.lastScheduled ?? 'never'}, last success ${c.lastSucceeded ?? 'never'}`,
        );
  }
  printer.json({ services: rows });
}

/** 1 when a cluster could not be read, 3 when a service is failed, else 0. */
function statusExit(verdict: string): number {
  return verdict === 'unreachable'
    ? ExitCode.failure
    : verdict === 'failed'
      ? ExitCode.rejected
      : ExitCode.ok;
}

export function register(program: Command): void {
  addServerOptions(
    addClusterOptions(
      program
        .command('status')
        .description(
          'what runs where: version, health and drift from the cluster, last release from the history',
        )
        .argument('[service...]', 'services to show (default: all)')
        .option('-e, --env <env>', 'only this environment'),
    ),
  ).action(async (services: string[], _f: Flags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<Flags>();
    const printer = createPrinter(flags);
    const client = await remoteClient(flags);
    if (client) {
      const [{ remoteStatus }, { statusVerdict }] = await Promise.all([
        import('../remote/status.ts'),
        import('../../engine/actions/status.ts'),
      ]);
      const rows = await remoteStatus(client, services, flags.env);
      printStatus(printer, rows);
      exitWith(statusExit(statusVerdict(rows)));
      return;
    }
    const [{ loadApp }, { Status, statusVerdict }] = await Promise.all([
      import('../../manifest/load.ts'),
      import('../../engine/actions/status.ts'),
    ]);
    const app = await loadApp(workDir(flags));
    const engine = await openEngine(app, flags, printer, { clusterCommand: true });
    try {
      const status = new Status(engine, app);
      printer.progress('checking the cluster…');
      const rows = await status.run({ services, ...(flags.env ? { environment: flags.env } : {}) });
      printStatus(printer, rows);
      exitWith(statusExit(statusVerdict(rows)));
    } finally {
      await engine.close();
    }
  });
}
