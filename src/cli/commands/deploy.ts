// `ferry deploy <service>:<version>… --env <env>`: each service deployed as a recorded release,
// up to --parallel at once in the order of the services' `after:` lists (the batch rule is the
// engine's: DeployBatch). Every target is checked (names, versions, manifests, the
// protected-environment rule) before the first deploy starts — by the engine. Progress on
// stderr (prefixed with the service when several run), result on stdout.
import type { Command } from 'commander';
import type { Engine } from '../../engine/config.ts';
import { usageError } from '../../errors.ts';
import { DEFAULT_PARALLEL } from '../../engine/actions/batch-schedule.ts';
import type { ReleaseSource } from '../../store/types.ts';
import { cliIo } from '../io.ts';
import { type GlobalOptions, createPrinter, exitWith, workDir } from '../output.ts';
import {
  addClusterOptions,
  addServerOptions,
  addWaitLockOption,
  exitCodeOf,
  interruptible,
  openEngine,
  parseSeconds,
  parseTarget,
  progressPrinter,
  remoteClient,
  reportLine,
  notStartedLine,
  waitLockMs as parseWaitLock,
  type ClusterFlags,
  type ServerFlags,
} from './release-common.ts';

interface Flags extends GlobalOptions, ClusterFlags, ServerFlags {
  ref?: string;
  env?: string;
  waitLock?: string | boolean;
  podLabel: string[];
  timeout?: string;
  yes?: boolean;
  parallel: string;
  commit?: string;
}

function parseParallel(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < 1)
    throw usageError('E_USAGE', `--parallel: "${v}" is not a whole number ≥ 1`, 'write e.g. --parallel 4');
  return n;
}

/** Per service: the commit deployed and the oldest commit since its last successful deploy here. */
async function commitSources(
  engine: Engine,
  dir: string,
  commit: string,
  environment: string,
  services: readonly string[],
): Promise<Map<string, ReleaseSource>> {
  const { commitSource } = await import('../../engine/commit-source.ts');
  const store = await engine.store();
  const out = new Map<string, ReleaseSource>();
  for (const service of services) {
    const last = (await store.releases({ service, environment, outcome: 'succeeded', limit: 1 })).items[0];
    out.set(service, await commitSource(dir, commit, last?.source.commit));
  }
  return out;
}

export function register(program: Command): void {
  addServerOptions(
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
        .option('-y, --yes', 'confirm a deploy to a protected environment')
        .option(
          '--parallel <n>',
          "how many releases run at once (in the order of the services' after: lists)",
          String(DEFAULT_PARALLEL),
        )
        .option('--ref <git ref>', "with --server: deploy the project's files at this branch, tag or commit")
        .option(
          '--commit <sha>',
          'the git commit this deploys; its time and the commits since the last deploy are read with git log (DORA lead time)',
        ),
    ),
  ).action(async (targets: string[], _f: Flags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<Flags>();
    const printer = createPrinter(flags);
    const io = cliIo();
    if (!flags.env) throw usageError('E_USAGE', 'which environment? pass --env <name>');
    const env = flags.env;
    const parsed = targets.map(parseTarget);
    const parallel = parseParallel(flags.parallel);
    const client = await remoteClient(flags);
    if (client) {
      const local = [
        flags.podLabel.length > 0 && '--pod-label',
        flags.timeout && '--timeout',
        flags.waitLock !== undefined && '--wait-lock',
        flags.commit && '--commit',
      ].filter(Boolean);
      if (local.length > 0)
        throw usageError(
          'E_USAGE',
          `${local.join(', ')}: not sent to the server, which deploys with its own settings`,
          'leave them out with --server, or deploy locally',
        );
      const confirm = flags.yes ? { confirm: true } : {};
      const ref = flags.ref ? { ref: flags.ref } : {};
      let result;
      if (parsed.length === 1) {
        // one target: one request, followed as it runs
        const { runRemoteRequest } = await import('../remote/release.ts');
        const t = parsed[0]!;
        const r = await runRemoteRequest(
          client,
          {
            path: '/api/v1/deploys',
            body: { service: t.service, environment: env, version: t.version, ...confirm, ...ref },
          },
          printer,
        );
        result = { releases: [r], notStarted: [] };
      } else {
        // several: one batch, ordered and bounded by the server as a local batch is
        const { runRemoteBatch } = await import('../remote/batch.ts');
        result = await runRemoteBatch(
          client,
          { environment: env, targets: parsed, parallel, ...confirm, ...ref },
          printer,
        );
      }
      for (const r of result.releases) printer.line(reportLine(r, printer));
      for (const n of result.notStarted) printer.line(notStartedLine(n, printer));
      printer.json(result);
      exitWith(exitCodeOf(result.releases));
      return;
    }
    if (flags.ref)
      throw usageError(
        'E_USAGE',
        '--ref needs --server: locally ferry deploys the files on disk',
        'check out the ref first',
      );
    const [{ loadApp }, { DeployBatch }, { parsePodLabels }, { runContext, defaultActor }] =
      await Promise.all([
        import('../../manifest/load.ts'),
        import('../../engine/actions/deploy-batch.ts'),
        import('../../engine/pod-labels.ts'),
        import('../../engine/context.ts'),
      ]);
    const podLabels = parsePodLabels(flags.podLabel, io.env.FERRY_POD_LABELS);
    const app = await loadApp(workDir(flags));
    const engine = await openEngine(app, flags, printer, { clusterCommand: true });
    const batch = new DeployBatch(engine, app);
    const sources = flags.commit
      ? await commitSources(
          engine,
          workDir(flags),
          flags.commit,
          env,
          parsed.map((t) => t.service),
        )
      : new Map<string, ReleaseSource>();
    // refuse unknown services, environments, versions and unconfirmed protected deploys of ANY
    // target before deploying the first
    const planned = batch.plan(
      parsed.map((t) => ({
        service: t.service,
        environment: env,
        version: t.version,
        podLabels,
        ...(sources.has(t.service) ? { source: sources.get(t.service) } : {}),
        confirmed: flags.yes === true,
        waitLockMs: parseWaitLock(flags.waitLock),
        ...(flags.timeout ? { trackTimeoutMs: parseSeconds(flags.timeout, '--timeout') * 1000 } : {}),
      })),
    );
    const intr = interruptible(printer);
    const side = parallel > 1 && parsed.length > 1;
    let result;
    try {
      result = await batch.run(
        planned,
        runContext({
          actor: defaultActor(io.env),
          signal: intr.signal,
          hardSignal: intr.hardSignal,
          onEvent: progressPrinter(
            printer,
            side ? { prefixWidth: Math.max(...parsed.map((t) => t.service.length)) } : {},
          ),
        }),
        { parallel, onReport: (r) => printer.line(reportLine(r, printer)) },
      );
    } finally {
      intr.dispose();
      await engine.close();
    }
    for (const n of result.notStarted) printer.line(notStartedLine(n, printer));
    printer.json(result);
    exitWith(exitCodeOf(result.releases));
  });
}
