// `ferry deploy <service>:<version>… --env <env>`: each service deployed as a recorded release,
// one after the other; stops at the first that fails. Progress on stderr, result on stdout.
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
  parseSeconds,
  parseTarget,
  reportLine,
  waitLockMs as parseWaitLock,
  addWaitLockOption,
  type ClusterFlags,
} from './release-common.ts';

interface Flags extends GlobalOptions, ClusterFlags {
  env?: string;
  waitLock?: string | boolean;
  podLabel: string[];
  timeout?: string;
  yes?: boolean;
}

export function register(program: Command): void {
  addClusterOptions(
    addWaitLockOption(
      program
        .command('deploy')
        .description('deploy services at versions to an environment, as a recorded process')
        .argument('<service:version...>', 'e.g. hcn:1.4.2')
        .option('-e, --env <env>', 'the environment'),
    )
      .option(
        '--pod-label <[component:]key=value>',
        'extra label on pod templates (repeatable; also FERRY_POD_LABELS), e.g. web:team=payments',
        (v: string, acc: string[]) => [...acc, v],
        [] as string[],
      )
      .option('--timeout <duration>', 'how long the rollout may take (default: progressDeadline + 30s)')
      .option('-y, --yes', 'confirm a deploy to a protected environment'),
  ).action(async (targets: string[], _f: Flags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<Flags>();
    const printer = createPrinter(flags);
    if (!flags.env) throw usageError('E_USAGE', 'which environment? pass --env <name>');
    const env = flags.env;
    const parsed = targets.map(parseTarget);
    const [{ loadApp }, { Deploy }, { parsePodLabels }, { defaultLeaseMs }, { planWorkload }] =
      await Promise.all([
        import('../../manifest/load.ts'),
        import('../../engine/deploy.ts'),
        import('../../engine/pod-labels.ts'),
        import('../../engine/lock.ts'),
        import('../../engine/plan.ts'),
      ]);
    const podLabels = parsePodLabels(flags.podLabel, process.env.FERRY_POD_LABELS);
    const waitLockMs = parseWaitLock(flags.waitLock);
    const app = await loadApp(flags.dir ?? '.');
    checkEnvironment(app, env);
    checkServices(
      app,
      parsed.map((t) => t.service),
    );
    // refuse unknown services, environments or versions of ANY target before deploying the first
    for (const t of parsed) {
      const plan = planWorkload(app, t.service, env, t.version, podLabels);
      if (plan.workload.environment.protected && !flags.yes) {
        throw usageError('E_PROTECTED', `environment "${env}" is protected`, 'pass --yes to deploy to it');
      }
    }
    const intr = interruptible(printer);
    const engine = await openEngine(appRoot(app, flags.dir ?? '.'), flags, printer, intr.signal);
    const reports = [];
    try {
      for (const t of parsed) {
        const r = await new Deploy(engine.deps, app, {
          service: t.service,
          environment: env,
          version: t.version,
          podLabels,
          leaseMs: defaultLeaseMs(),
          waitLockMs,
          ...(flags.timeout ? { trackTimeoutMs: parseSeconds(flags.timeout, '--timeout') * 1000 } : {}),
        }).run();
        reports.push(r);
        printer.line(reportLine(r, printer));
        if (r.outcome !== 'succeeded') break;
      }
    } finally {
      intr.dispose();
      await engine.close();
    }
    printer.json({ releases: reports });
    exitWith(exitCodeOf(reports));
  });
}
