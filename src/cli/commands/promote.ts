// `ferry promote <service…|--all> --from <env> --to <env>`: the last successful release of each
// service in `from`, at its exact version, deployed to `to` with `to`'s configuration and recorded
// as kind promote. Every service is checked before the first deploys (engine/actions/promote.ts).
import type { Command } from 'commander';
import { usageError } from '../../errors.ts';
import { cliIo } from '../io.ts';
import { type GlobalOptions, createPrinter, exitWith, workDir } from '../output.ts';
import {
  addClusterOptions,
  addWaitLockOption,
  exitCodeOf,
  interruptible,
  openEngine,
  progressPrinter,
  reportLine,
  waitLockMs as parseWaitLock,
  type ClusterFlags,
} from './release-common.ts';

interface Flags extends GlobalOptions, ClusterFlags {
  from?: string;
  to?: string;
  all?: boolean;
  waitLock?: string | boolean;
  yes?: boolean;
}

export function register(program: Command): void {
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
    ).option('-y, --yes', 'confirm a promotion to a protected environment'),
  ).action(async (services: string[], _f: Flags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<Flags>();
    const printer = createPrinter(flags);
    const io = cliIo();
    if (!flags.from || !flags.to) throw usageError('E_USAGE', 'promote needs --from <env> and --to <env>');
    if (flags.all === true && services.length > 0)
      throw usageError('E_USAGE', 'name services or pass --all, not both');
    if (flags.all !== true && services.length === 0)
      throw usageError('E_USAGE', 'which services? name them, or pass --all');
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
