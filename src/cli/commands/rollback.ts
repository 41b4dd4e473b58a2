// `ferry rollback <service> --env <env> [--to <release>]`: re-apply a stored release.
import type { Command } from 'commander';
import { type GlobalOptions, createPrinter, exitWith } from '../output.ts';
import { usageError } from '../../errors.ts';
import { checkEnvironment, checkServices } from '../names.ts';
import {
  addClusterOptions,
  appRoot,
  exitCodeOf,
  interruptible,
  openEngine,
  reportLine,
  addWaitLockOption,
  waitLockMs as parseWaitLock,
  type ClusterFlags,
} from './release-common.ts';

interface Flags extends GlobalOptions, ClusterFlags {
  env?: string;
  to?: string;
  waitLock?: string | boolean;
  migrateDown?: boolean;
}

export function register(program: Command): void {
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
    ).option('--migrate-down', "first run the current release's down migration (from its own image)"),
  ).action(async (service: string, _f: Flags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<Flags>();
    const printer = createPrinter(flags);
    if (!flags.env) throw usageError('E_USAGE', 'which environment? pass --env <name>');
    const to = flags.to === undefined ? undefined : Number(flags.to);
    if (to !== undefined && (!Number.isInteger(to) || to <= 0)) {
      throw usageError(
        'E_USAGE',
        `--to ${flags.to}: not a release id`,
        'release ids are listed by ferry history',
      );
    }
    const waitLockMs = parseWaitLock(flags.waitLock);
    const [{ loadApp }, { Rollback }, { defaultLeaseMs }, { resolvePlatform }] = await Promise.all([
      import('../../manifest/load.ts'),
      import('../../engine/rollback.ts'),
      import('../../engine/lock.ts'),
      import('../../model/platform.ts'),
    ]);
    const app = await loadApp(flags.dir ?? '.');
    checkServices(app, [service]);
    checkEnvironment(app, flags.env);
    const platform = resolvePlatform(app.platform.manifest, app.platform.file);
    const environment = platform.environments.find((e) => e.name === flags.env);
    if (!environment) throw usageError('E_UNKNOWN_ENV', `no environment named "${flags.env}"`);
    const intr = interruptible(printer);
    const engine = await openEngine(appRoot(app, flags.dir ?? '.'), flags, printer, intr.signal);
    let code = 0;
    try {
      const r = await new Rollback(engine.deps, {
        service,
        environment: environment.name,
        to,
        leaseMs: defaultLeaseMs(),
        waitLockMs,
        context: environment.context,
        notifiers: platform.notify,
        migrateDown: flags.migrateDown === true,
      }).run();
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
