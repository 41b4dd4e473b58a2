// `ferry store migrate --from <state> --to <state>`: moves history between stores (each a
// FERRY_STATE value: a SQLite path, postgres://…, or kubernetes), with a progress line per
// service and environment and `-o json`. The cluster store is placed by the platform file: each
// environment's records live in its namespace, in its kube context.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { usageError } from '../../errors.ts';
import type { Cluster } from '../../cluster/types.ts';
import type { KubernetesPlacement } from '../../store/kubernetes/placement.ts';
import type { MigrateEvent } from '../../store/migrate.ts';
import type { Store } from '../../store/store.ts';
import { unknownEnvironment } from '../../model/names.ts';
import { cliIo } from '../io.ts';
import { createPrinter, workDir, type GlobalOptions, type Printer } from '../output.ts';
import { addClusterOptions, type ClusterFlags } from './release-common.ts';

interface MigrateFlags extends GlobalOptions, ClusterFlags {
  from: string;
  to: string;
  includeRunning?: boolean;
}

/** A store value for people: the password of a postgres:// URL is never printed. */
export function displayState(value: string): string {
  return value.replace(/^(postgres(?:ql)?:\/\/[^:/@]+):[^@]*@/, '$1:***@');
}

/**
 * Where the cluster store keeps each environment's records: the platform file's namespace and
 * kube context (--context, then FERRY_CONTEXT, override the context). One client per context.
 */
export async function platformPlacement(dir: string, flags: ClusterFlags): Promise<KubernetesPlacement> {
  const [{ loadApp }, { resolvePlatform }, { KubeCluster }] = await Promise.all([
    import('../../manifest/load.ts'),
    import('../../model/platform.ts'),
    import('../../cluster/kube.ts'),
  ]);
  const app = await loadApp(dir);
  const platform = resolvePlatform(app.platform.manifest, app.platform.file);
  const names = platform.environments.map((e) => e.name);
  const clusters = new Map<string, Cluster>();
  const { env: vars, cwd } = cliIo();
  const kubeconfig = flags.kubeconfig === undefined ? undefined : resolve(cwd, flags.kubeconfig);
  return {
    locate(environment) {
      const env = platform.environments.find((e) => e.name === environment);
      if (!env) throw unknownEnvironment(environment, names);
      const context = flags.context ?? vars.FERRY_CONTEXT ?? env.context;
      let cluster = clusters.get(context ?? '');
      if (!cluster) {
        cluster = new KubeCluster({ kubeconfig, context });
        clusters.set(context ?? '', cluster);
      }
      return { cluster, namespace: env.namespace, createNamespace: env.createNamespace };
    },
    environments: () => names,
  };
}

async function openState(value: string, dir: string, flags: ClusterFlags): Promise<Store> {
  const [{ parseStoreLocation, openSqlStore }, { Store }, { KubernetesDriver }] = await Promise.all([
    import('../../store/open.ts'),
    import('../../store/store.ts'),
    import('../../store/kubernetes/driver.ts'),
  ]);
  const location = parseStoreLocation(value);
  if (location.kind === 'sqlite' && location.path !== ':memory:') {
    return openSqlStore({ kind: 'sqlite', path: resolve(cliIo().cwd, location.path) });
  }
  if (location.kind !== 'kubernetes') return openSqlStore(location);
  return new Store(new KubernetesDriver(await platformPlacement(dir, flags)));
}

function progressLine(printer: Printer): (e: MigrateEvent) => void {
  return (e) => {
    switch (e.type) {
      case 'planned':
        printer.progress(
          `planned: ${e.releases} releases of ${e.pairs} service/environment pairs (${e.present} already in the target), ${e.audit} audit entries`,
          true,
        );
        break;
      case 'pair':
        printer.progress(
          `  ${e.service}/${e.environment}: moved ${e.moved}, ${e.present} already there`,
          true,
        );
        break;
      case 'audit':
        printer.progress(`  audit: moved ${e.moved}, ${e.present} already there`, true);
        break;
    }
  };
}

/** Ctrl-C (SIGTERM, SIGHUP) stops the migration between two releases; what was moved stays moved. */
function stopOnSignal(printer: Printer): { signal: AbortSignal; dispose(): void } {
  const io = cliIo();
  const ac = new AbortController();
  const stop = () => {
    if (ac.signal.aborted) io.exitNow(130);
    printer.note('interrupted: stopping after the release being moved (interrupt again to exit now)');
    ac.abort();
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) io.signals.on(s, stop);
  return {
    signal: ac.signal,
    dispose: () => {
      for (const s of signals) io.signals.off(s, stop);
    },
  };
}

export function register(program: Command): void {
  const store = program
    .command('store')
    .description('the state store: where releases, locks and the audit live');
  addClusterOptions(
    store
      .command('migrate')
      .description('move every release (ids, steps, outcomes) and the audit from one store to another')
      .requiredOption('--from <state>', 'the store to read: a SQLite file, postgres://…, or kubernetes')
      .requiredOption('--to <state>', 'the store to write: a SQLite file, postgres://…, or kubernetes')
      .option('--include-running', 'move releases still running in the source as they are'),
  ).action(async (_f: MigrateFlags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<MigrateFlags>();
    const printer = createPrinter(flags);
    if (flags.from === flags.to) {
      throw usageError('E_USAGE', `--from and --to are the same store (${displayState(flags.from)})`);
    }
    const dir = workDir(flags);
    const { migrateHistory } = await import('../../store/migrate.ts');
    const from = await openState(flags.from, dir, flags);
    let to: Store | undefined;
    const interrupt = stopOnSignal(printer);
    try {
      to = await openState(flags.to, dir, flags);
      printer.progress(`reading ${displayState(flags.from)} and ${displayState(flags.to)}…`, true);
      const result = await migrateHistory(from, to, {
        includeRunning: flags.includeRunning === true,
        onProgress: progressLine(printer),
        signal: interrupt.signal,
      });
      const { releases, audit } = result;
      printer.line(
        releases.moved + audit.moved === 0
          ? `nothing to move: ${displayState(flags.to)} holds all ${releases.total} releases and ${audit.total} audit entries`
          : `${printer.style.green('✓')} moved ${releases.moved} releases and ${audit.moved} audit entries to ${displayState(flags.to)}` +
              (releases.present + audit.present > 0
                ? ` (${releases.present} releases and ${audit.present} entries were there already)`
                : ''),
      );
      printer.json({ from: displayState(flags.from), to: displayState(flags.to), ...result });
    } finally {
      interrupt.dispose();
      await from.close();
      await to?.close();
    }
  });
}
