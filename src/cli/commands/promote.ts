// `ferry promote <service…|--all> --from <env> --to <env>`: the last successful release of each
// service in `from`, at its exact version, deployed to `to` with `to`'s configuration and recorded
// as kind promote. Every service is checked before the first deploys (engine/actions/promote.ts).
// With --server (FERRY_SERVER) the team server checks and queues it (POST /api/v1/promotions) and
// the CLI follows each service's request; a protected target waits for its approval there.
import type { Command } from 'commander';
import { usageError } from '../../errors.ts';
import { cliIo } from '../io.ts';
import { type GlobalOptions, type Printer, createPrinter, exitWith, workDir } from '../output.ts';
import type { RequestView } from '../remote/release.ts';
import {
  addClusterOptions,
  addServerOptions,
  addWaitLockOption,
  exitCodeOf,
  interruptible,
  openEngine,
  progressPrinter,
  remoteClient,
  reportLine,
  waitLockMs as parseWaitLock,
  type ClusterFlags,
  type ServerFlags,
} from './release-common.ts';

interface Flags extends GlobalOptions, ClusterFlags, ServerFlags {
  from?: string;
  to?: string;
  all?: boolean;
  waitLock?: string | boolean;
  yes?: boolean;
}

interface PromotionAnswer {
  requests: (RequestView & { payload: { version?: string; sourceRelease?: { id: number } } })[];
  skipped: string[];
}

/** The promotion through the team server: one request per service, each followed to its end. */
async function remotePromote(
  client: NonNullable<Awaited<ReturnType<typeof remoteClient>>>,
  services: string[],
  flags: Flags,
  printer: Printer,
): Promise<number> {
  if (flags.waitLock !== undefined)
    throw usageError('E_USAGE', '--wait-lock: not sent to the server, which queues the promotion itself');
  const { runRemoteRequests } = await import('../remote/release.ts');
  const { answer, reports } = await runRemoteRequests<PromotionAnswer>(
    client,
    {
      path: '/api/v1/promotions',
      body: {
        ...(flags.all === true ? { all: true } : { services }),
        from: flags.from,
        to: flags.to,
      },
    },
    printer,
    (a) => {
      for (const q of a.requests)
        printer.note(
          `${q.service}: ${q.payload.version ?? '?'} (release ${q.payload.sourceRelease?.id ?? '?'} in ${flags.from}) → ${flags.to}`,
        );
      for (const s of a.skipped) printer.note(`${s}: never deployed in ${flags.from}, skipped`);
      return a.requests;
    },
  );
  for (const r of reports) printer.line(reportLine(r, printer));
  printer.json({ from: flags.from, to: flags.to, releases: reports, skipped: answer?.skipped ?? [] });
  return exitCodeOf(reports);
}

export function register(program: Command): void {
  addServerOptions(
    addClusterOptions(
      addWaitLockOption(
        program
          .command('promote')
          .description(
            "deploy what last succeeded in one environment to the next, with the next one's configuration",
          )
          .argument('[service...]', 'the services (or --all)')
          .option('--from <env>', 'the environment to promote from')
          .option('--to <env>', 'the environment to promote to')
          .option('--all', 'every service that runs in both and was deployed in --from'),
      ).option(
        '-y, --yes',
        'confirm a promotion to a protected environment (through --server: its approval is the confirmation)',
      ),
    ),
  ).action(async (services: string[], _f: Flags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<Flags>();
    const printer = createPrinter(flags);
    const io = cliIo();
    if (!flags.from || !flags.to) throw usageError('E_USAGE', 'promote needs --from <env> and --to <env>');
    if (flags.all === true && services.length > 0)
      throw usageError('E_USAGE', 'name services or pass --all, not both');
    if (flags.all !== true && services.length === 0)
      throw usageError('E_USAGE', 'which services? name them, or pass --all');
    const client = await remoteClient(flags);
    if (client) {
      exitWith(await remotePromote(client, services, flags, printer));
      return;
    }
    const [{ loadApp }, { Promote }, { runContext, defaultActor }] = await Promise.all([
      import('../../manifest/load.ts'),
      import('../../engine/actions/promote.ts'),
      import('../../engine/context.ts'),
    ]);
    const app = await loadApp(workDir(flags));
    const engine = await openEngine(app, flags, printer, { clusterCommand: true });
    const intr = interruptible(printer);
    let code = 0;
    try {
      const promote = new Promote(engine, app);
      const plan = await promote.plan({
        services: flags.all === true ? 'all' : services,
        from: flags.from,
        to: flags.to,
        confirmed: flags.yes === true,
        waitLockMs: parseWaitLock(flags.waitLock),
      });
      for (const p of plan.promotions)
        printer.note(
          `${p.service}: ${p.source.version} (release ${p.source.id} in ${flags.from}) → ${flags.to}`,
        );
      for (const s of plan.skipped) printer.note(`${s}: never deployed in ${flags.from}, skipped`);
      const reports = await promote.run(
        plan,
        runContext({
          actor: defaultActor(io.env),
          signal: intr.signal,
          hardSignal: intr.hardSignal,
          onEvent: progressPrinter(printer),
        }),
        (r) => printer.line(reportLine(r, printer)),
      );
      printer.json({ from: flags.from, to: flags.to, releases: reports, skipped: plan.skipped });
      code = exitCodeOf(reports);
    } finally {
      intr.dispose();
      await engine.close();
    }
    exitWith(code);
  });
}
