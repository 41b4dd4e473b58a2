// `ferry diff <service>:<version> --env <env>`: what a deploy would change in the live cluster.
// Exit code 0 with no changes, 3 when there are changes ("the operation ran and the answer is:
// differences remain", as for parity), 1 only for a failure — so scripts can tell them apart.
import type { Command } from 'commander';
import { type GlobalOptions, createPrinter, exitWith } from '../output.ts';
import { usageError } from '../../errors.ts';
import { ExitCode } from '../exit.ts';
import { checkEnvironment, checkServices } from '../names.ts';
import { addClusterOptions, appRoot, openEngine, parseTarget, type ClusterFlags } from './release-common.ts';

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
        'what deploying service:version would change, against the live cluster (server-side dry-run)',
      )
      .argument('<service:version>')
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
    if (!flags.env) throw usageError('E_USAGE', 'which environment? pass --env <name>');
    const t = parseTarget(target);
    const [{ loadApp }, { Diff }, { parsePodLabels }] = await Promise.all([
      import('../../manifest/load.ts'),
      import('../../engine/diff.ts'),
      import('../../engine/pod-labels.ts'),
    ]);
    const app = await loadApp(flags.dir ?? '.');
    checkEnvironment(app, flags.env);
    checkServices(app, [t.service]);
    const engine = await openEngine(
      appRoot(app, flags.dir ?? '.'),
      flags,
      printer,
      new AbortController().signal,
    );
    let code: number = ExitCode.ok;
    try {
      printer.progress('comparing with the live cluster…');
      const changes = await new Diff(engine.deps, app, {
        service: t.service,
        environment: flags.env,
        version: t.version,
        podLabels: parsePodLabels(flags.podLabel, process.env.FERRY_POD_LABELS),
      }).run();
      const s = printer.style;
      for (const c of changes) {
        if (c.action === 'unchanged') continue;
        printer.line(s.bold(`# ${c.kind}/${c.name}: ${c.action}`));
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
      printer.note(counts.join(', ') || 'nothing rendered');
      printer.json({ service: t.service, environment: flags.env, version: t.version, changes });
      code = diffExitCode(changes);
    } finally {
      await engine.close();
    }
    exitWith(code);
  });
}
