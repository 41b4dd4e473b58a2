// `ferry logs <service> --env <env> [--release N] [--follow] [--since 10m] [--tail 100]`: the
// logs of a release's pods (default the newest release), each line prefixed with pod/container.
// With -o json: one JSON object per line ({pod, container, line}), so it streams with --follow.
import type { Command } from 'commander';
import { usageError } from '../../errors.ts';
import { cliIo } from '../io.ts';
import { createPrinter, workDir, type GlobalOptions } from '../output.ts';
import {
  addClusterOptions,
  interruptible,
  openEngine,
  parseSeconds,
  type ClusterFlags,
} from './release-common.ts';

interface Flags extends GlobalOptions, ClusterFlags {
  env?: string;
  release?: string;
  follow?: boolean;
  since?: string;
  tail?: string;
  component?: string;
}

function positive(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0)
    throw usageError('E_USAGE', `${flag} ${v}: not a positive whole number`);
  return n;
}

export function register(program: Command): void {
  addClusterOptions(
    program
      .command('logs')
      .description("the logs of a release's pods (web, cron, migration and check), prefixed pod/container")
      .argument('<service>')
      .option('-e, --env <env>', 'the environment')
      .option('--release <id>', 'the release whose pods to read (default: the newest)')
      .option('-f, --follow', 'keep streaming new lines until interrupted')
      .option('--since <duration>', 'only lines newer than this, e.g. 10m')
      .option('--tail <n>', 'the last n lines of each container')
      .option('--component <name>', 'only pods of web, cron, migration or check'),
  ).action(async (service: string, _f: Flags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<Flags>();
    const printer = createPrinter(flags);
    if (!flags.env) throw usageError('E_USAGE', 'which environment? pass --env <name>');
    const release = positive(flags.release, '--release');
    const tail = positive(flags.tail, '--tail');
    const since = flags.since === undefined ? undefined : Math.ceil(parseSeconds(flags.since, '--since'));
    const [{ loadApp }, { Logs }] = await Promise.all([
      import('../../manifest/load.ts'),
      import('../../engine/actions/logs.ts'),
    ]);
    const app = await loadApp(workDir(flags));
    const engine = await openEngine(app, flags, printer, { clusterCommand: true });
    const intr = flags.follow ? interruptible(printer) : undefined;
    const out = cliIo().stdout;
    try {
      const target = await new Logs(engine, app).run(
        {
          service,
          environment: flags.env,
          ...(release !== undefined ? { release } : {}),
          ...(flags.component ? { component: flags.component } : {}),
          follow: flags.follow === true,
          ...(since !== undefined ? { sinceSeconds: since } : {}),
          ...(tail !== undefined ? { tailLines: tail } : {}),
          ...(intr ? { signal: intr.signal } : {}),
        },
        (l) =>
          printer.format === 'json'
            ? out.write(`${JSON.stringify(l)}\n`)
            : printer.line(`${printer.style.dim(`${l.pod}/${l.container}`)} ${l.line}`),
      );
      if (target.pods.length === 0)
        printer.note(
          `no pods of ${service} ${target.version} in ${flags.env} (release ${target.releaseId ?? '-'})`,
        );
    } finally {
      intr?.dispose();
      await engine.close();
    }
  });
}
