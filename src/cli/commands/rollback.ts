// `ferry rollback <service> --env <env> [--to <release>]`: re-apply a stored release.
import type { Command } from 'commander';
import { usageError } from '../../errors.ts';
import { cliIo } from '../io.ts';
import { type GlobalOptions, createPrinter, exitWith, workDir } from '../output.ts';
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
  env?: string;
  to?: string;
  waitLock?: string | boolean;
  migrateDown?: boolean;
  verify?: boolean;
  yes?: boolean;
}

export function register(program: Command): void {
  addServerOptions(
    addClusterOptions(
      addWaitLockOption(
        program
          .command('rollback')
          .description(
            're-apply an earlier release (default: the one before the current), recorded as a new release',
          )
          .argument('<service>')
          .option('-e, --env <env>', 'the environment')
          .option('--to <release>', 'the release id to go back to (see ferry history)'),
      )
        .option('--migrate-down', "first run the current release's down migration (from its own image)")
        .option('--verify', "run the target release's checks and the observation window again (default: not)")
        .option('-y, --yes', 'confirm a rollback in a protected environment'),
    ),
  ).action(async (service: string, _f: Flags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<Flags>();
    const printer = createPrinter(flags);
    const io = cliIo();
    if (!flags.env) throw usageError('E_USAGE', 'which environment? pass --env <name>');
    const to = flags.to === undefined ? undefined : Number(flags.to);
    if (to !== undefined && (!Number.isInteger(to) || to <= 0)) {
      throw usageError(
        'E_USAGE',
        `--to ${flags.to}: not a release id`,
        'release ids are listed by ferry history',
      );
    }
    const client = await remoteClient(flags);
    if (client) {
      if (flags.waitLock !== undefined)
        throw usageError('E_USAGE', '--wait-lock: not sent to the server, which queues the rollback itself');
      const { runRemoteRequest } = await import('../remote/release.ts');
      const r = await runRemoteRequest(
        client,
        {
          path: '/api/v1/rollbacks',
          body: {
            service,
            environment: flags.env,
            ...(to !== undefined ? { to } : {}),
            ...(flags.migrateDown ? { migrateDown: true } : {}),
            ...(flags.verify ? { verify: true } : {}),
            ...(flags.yes ? { confirm: true } : {}),
          },
        },
        printer,
      );
      printer.line(reportLine(r, printer));
      printer.json({ release: r });
      exitWith(exitCodeOf([r]));
      return;
    }
    const waitLockMs = parseWaitLock(flags.waitLock);
    const [{ loadApp }, { Rollback }, { runContext, defaultActor }] = await Promise.all([
      import('../../manifest/load.ts'),
      import('../../engine/actions/rollback.ts'),
      import('../../engine/context.ts'),
    ]);
    const app = await loadApp(workDir(flags));
    const engine = await openEngine(app, flags, printer, { clusterCommand: true });
    const intr = interruptible(printer);
    let code = 0;
    try {
      const r = await new Rollback(engine, app).run(
        {
          service,
          environment: flags.env,
          ...(to !== undefined ? { to } : {}),
          waitLockMs,
          migrateDown: flags.migrateDown === true,
          verify: flags.verify === true,
          confirmed: flags.yes === true,
        },
        runContext({
          actor: defaultActor(io.env),
          signal: intr.signal,
          hardSignal: intr.hardSignal,
          onEvent: progressPrinter(printer),
        }),
      );
      printer.line(reportLine(r, printer));
      printer.json({ release: r });
      code = exitCodeOf([r]);
    } finally {
      intr.dispose();
      await engine.close();
    }
    exitWith(code);
  });
}
