// `ferry diff <service>:<version> --env <env>`: what a deploy would change in the live cluster.
// Exit code 0 with no changes, 3 when there are changes ("the operation ran and the answer is:
// differences remain", as for parity), 1 only for a failure — so scripts can tell them apart.
import type { Command } from 'commander';
import { cliIo } from '../io.ts';
import { type GlobalOptions, createPrinter, exitWith, workDir } from '../output.ts';
import { usageError } from '../../errors.ts';
import { ExitCode } from '../exit.ts';
import { addClusterOptions, openEngine, parseTarget, type ClusterFlags } from './release-common.ts';

interface Flags extends GlobalOptions, ClusterFlags {
  env?: string;
  podLabel: string[];
}

/** diff's exit code for its result: 3 (rejected) when anything would be created, updated or deleted, else 0. */
export function diffExitCode(changes: readonly { action: string }[]): number {
  return changes.some((c) => c.action === 'create' || c.action === 'update' || c.action === 'delete')
    ? ExitCode.rejected
    : ExitCode.ok;
}

export function register(program: Command): void {
  addClusterOptions(
    program
      .command('diff')
      .description(
        'what deploying service[:version] would change, against the live cluster (server-side dry-run), drift included',
      )
      .argument('<service[:version]>', 'without a version: the current manifests at the version that runs')
      .option('-e, --env <env>', 'the environment')
      .option(
        '--pod-label <[component:]key=value>',
        'extra pod template label, as for deploy (repeatable)',
        (v: string, acc: string[]) => [...acc, v],
        [] as string[],
      ),
  ).action(async (target: string, _f: Flags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<Flags>();
    const printer = createPrinter(flags);
    const io = cliIo();
    if (!flags.env) throw usageError('E_USAGE', 'which environment? pass --env <name>');
    const t = target.includes(':') ? parseTarget(target) : { service: target, version: undefined };
    const [{ loadApp }, { Diff }, { parsePodLabels }] = await Promise.all([
      import('../../manifest/load.ts'),
      import('../../engine/actions/diff.ts'),
      import('../../engine/pod-labels.ts'),
    ]);
    const app = await loadApp(workDir(flags));
    const engine = await openEngine(app, flags, printer, { clusterCommand: true });
    let code: number = ExitCode.ok;
    try {
      printer.progress('comparing with the live cluster…');
      const { version, changes } = await new Diff(engine, app).run({
        service: t.service,
        environment: flags.env,
        ...(t.version !== undefined ? { version: t.version } : {}),
        podLabels: parsePodLabels(flags.podLabel, io.env.FERRY_POD_LABELS),
      });
      const s = printer.style;
      for (const c of changes) {
        if (c.action === 'unchanged') continue;
        printer.line(s.bold(`# ${c.kind}/${c.name}: ${c.action}`));
        for (const d of c.drift) printer.line(s.yellow(`# drift: ${d} — a deploy takes it back`));
        for (const l of c.diff.split('\n')) {
          printer.line(
            l.startsWith('+') && !l.startsWith('+++')
              ? s.green(l)
              : l.startsWith('-') && !l.startsWith('---')
                ? s.red(l)
                : l,
          );
        }
      }
      const counts = ['create', 'update', 'delete', 'unchanged', 'unsupported']
        .map((a) => [a, changes.filter((c) => c.action === a).length] as const)
        .filter(([, n]) => n > 0)
        .map(([a, n]) => `${n} ${a}`);
      const drifted = changes.filter((c) => c.drift.length > 0).length;
      printer.note(
        `${counts.join(', ') || 'nothing rendered'}${drifted ? `; drift in ${drifted} object${drifted === 1 ? '' : 's'}` : ''} (at ${version})`,
      );
      printer.json({ service: t.service, environment: flags.env, version, changes });
      code = diffExitCode(changes);
    } finally {
      await engine.close();
    }
    exitWith(code);
  });
}
