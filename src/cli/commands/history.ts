// `ferry history <service> --env <env>`: releases, newest first, with outcome and step timings.
import type { Command } from 'commander';
import { usageError } from '../../errors.ts';
import type { ReleaseView } from '../../engine/views.ts';
import { createPrinter, workDir, type GlobalOptions, type Printer } from '../output.ts';
import {
  addClusterOptions,
  addServerOptions,
  openEngine,
  remoteClient,
  seconds,
  table,
  type ClusterFlags,
  type ServerFlags,
} from './release-common.ts';

interface Flags extends GlobalOptions, ClusterFlags, ServerFlags {
  env?: string;
  limit: string;
  before?: string;
}

/** The history table (stdout) and its -o json document, the same for a local and a remote history. */
export function printHistory(
  printer: Printer,
  service: string,
  environment: string,
  page: { releases: readonly ReleaseView[]; next: number | undefined },
): void {
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
  if (page.releases.length === 0) printer.note(`no releases of ${service} in ${environment} yet`);
  if (page.next !== undefined)
    printer.note(`more: ferry history ${service} --env ${environment} --before ${page.next}`);
  printer.json({ service, environment, releases: page.releases, next: page.next });
}

function count(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw usageError('E_USAGE', `${flag} ${v}: not a count`);
  return n;
}

export function register(program: Command): void {
  addServerOptions(
    addClusterOptions(
      program
        .command('history')
        .description('the releases of a service in an environment, with outcome and step timings')
        .argument('<service>')
        .option('-e, --env <env>', 'the environment')
        .option('--limit <n>', 'how many releases', '20')
        .option('--before <release>', 'start after this release id (the next page)'),
    ),
  ).action(async (service: string, _f: Flags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<Flags>();
    const printer = createPrinter(flags);
    if (!flags.env) throw usageError('E_USAGE', 'which environment? pass --env <name>');
    const limit = count(flags.limit, '--limit') ?? 20;
    const before = count(flags.before, '--before');
    const client = await remoteClient(flags);
    if (client) {
      const q = new URLSearchParams({ limit: String(limit) });
      if (before !== undefined) q.set('before', String(before));
      const page = await client.call<{ releases: ReleaseView[]; next?: number }>(
        'GET',
        `/api/v1/services/${encodeURIComponent(service)}/environments/${encodeURIComponent(flags.env)}/history?${q}`,
      );
      printHistory(printer, service, flags.env, { releases: page.releases, next: page.next });
      return;
    }
    const [{ loadApp }, { History }] = await Promise.all([
      import('../../manifest/load.ts'),
      import('../../engine/actions/history.ts'),
    ]);
    const app = await loadApp(workDir(flags));
    // the history lives where deploys keep it: the cluster, unless FERRY_STATE says otherwise
    const engine = await openEngine(app, flags, printer, { clusterCommand: true });
    try {
      const page = await new History(engine, app).run({
        service,
        environment: flags.env,
        limit,
        ...(before !== undefined ? { beforeId: before } : {}),
      });
      printHistory(printer, service, flags.env, page);
    } finally {
      await engine.close();
    }
  });
}
