// Shared by deploy, rollback, status, history and diff: cluster flags, opening the store and the
// cluster, Ctrl-C handling, and the human rendering of progress and releases.
import type { Command } from 'commander';
import { dirname, resolve } from 'node:path';
import type { ReleaseReport } from '../../engine/release.ts';
import type { ProgressEvent } from '../../engine/steps.ts';
import type { Cluster } from '../../cluster/types.ts';
import type { EngineDeps } from '../../engine/context.ts';
import type { LoadedApp } from '../../manifest/load.ts';
import type { Printer } from '../output.ts';
import { usageError } from '../../errors.ts';

export interface ClusterFlags {
  kubeconfig?: string;
  context?: string;
}

export function addClusterOptions(cmd: Command): Command {
  return cmd
    .option('--kubeconfig <file>', 'kubeconfig to use (default: KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', "kube context (default: the environment's context, else the current one)");
}

/** How long `--wait-lock` waits without a duration. */
export const DEFAULT_WAIT_LOCK_MS = 600_000;

/** `--wait-lock [duration]`, the same for deploy and rollback. */
export function addWaitLockOption(cmd: Command): Command {
  return cmd.option(
    '--wait-lock [duration]',
    'when another deploy holds the lock, wait for it (default 10m; e.g. 30s, 2m, 1h)',
  );
}

/** The --wait-lock flag's value in milliseconds: 0 without it, 10m without a duration. */
export function waitLockMs(flag: string | boolean | undefined): number {
  if (flag === undefined || flag === false) return 0;
  if (flag === true) return DEFAULT_WAIT_LOCK_MS;
  return parseSeconds(flag, '--wait-lock') * 1000;
}

/** Parses "30s", "2m", "1h" or plain seconds. */
export function parseSeconds(v: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim());
  if (!m) throw usageError('E_USAGE', `${flag}: "${v}" is not a duration`, 'write e.g. 30s, 2m or 1h');
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return unit === 'ms' ? n / 1000 : unit === 'm' ? n * 60 : unit === 'h' ? n * 3600 : n;
}

/** `service:version` */
export function parseTarget(arg: string): { service: string; version: string } {
  const i = arg.indexOf(':');
  if (i <= 0 || i === arg.length - 1) {
    throw usageError('E_USAGE', `"${arg}" names no version`, 'write service:version, e.g. hcn:1.4.2');
  }
  return { service: arg.slice(0, i), version: arg.slice(i + 1) };
}

/** Where the app lives: the platform file's folder, else -C / the working directory. */
export function appRoot(app: LoadedApp | undefined, dir: string): string {
  return app?.platform.file ? dirname(app.platform.file) : resolve(dir);
}

export interface Engine {
  deps: EngineDeps;
  close(): Promise<void>;
}

/**
 * Opens the store (FERRY_STATE or <root>/.ferry/state.db) and builds the engine's dependencies.
 * A kube context named by the environment but missing from the kubeconfig is an error unless
 * --context picks another.
 */
export async function openEngine(
  root: string,
  flags: ClusterFlags,
  printer: Printer,
  signal: AbortSignal,
): Promise<Engine> {
  const [{ openStore, defaultStatePath }, { KubeCluster }, { defaultActor }] = await Promise.all([
    import('../../store/store.ts'),
    import('../../cluster/kube.ts'),
    import('../../engine/context.ts'),
  ]);
  const store = await openStore(defaultStatePath(root));
  const clusters = new Map<string, Cluster>();
  const deps: EngineDeps = {
    store,
    clusterFor: (envContext) => {
      const context = flags.context ?? process.env.FERRY_CONTEXT ?? envContext;
      const key = `${flags.kubeconfig ?? ''}\u0000${context ?? ''}`;
      let c = clusters.get(key);
      if (!c) {
        c = new KubeCluster({ kubeconfig: flags.kubeconfig, context });
        clusters.set(key, c);
      }
      return c;
    },
    actor: defaultActor(),
    emit: progressPrinter(printer),
    signal,
    now: Date.now,
    env: process.env,
  };
  return { deps, close: () => store.close() };
}

/**
 * Ctrl-C once: abort (the release ends cancelled and the cluster is brought back). Twice: exit
 * at once (the lease expires on its own and the next deploy marks the release interrupted).
 */
export function interruptible(printer: Printer): { signal: AbortSignal; dispose(): void } {
  const ac = new AbortController();
  const onSignal = () => {
    if (ac.signal.aborted) {
      printer.note('interrupted again: exiting now; the lease expires on its own');
      process.exit(130);
    }
    printer.note('interrupted: cancelling and restoring the previous release (Ctrl-C again to exit now)');
    ac.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: ac.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

const mark: Record<string, string> = {
  succeeded: '✓',
  failed: '✗',
  skipped: '–',
  cancelled: '!',
  interrupted: '!',
};

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** One line per step on stderr as it ends, and live `2/4 ready` lines while a step runs. */
export function progressPrinter(printer: Printer): (e: ProgressEvent) => void {
  const s = printer.style;
  return (e) => {
    switch (e.type) {
      case 'release':
        printer.progress(
          s.bold(`release ${e.releaseId}: ${e.kind} ${e.service} ${e.version} → ${e.environment}`),
          true,
        );
        break;
      case 'step-progress':
        printer.progress(`    ${e.step}: ${e.message}`, true);
        break;
      case 'step-end': {
        const m = mark[e.outcome] ?? '?';
        const colour = e.outcome === 'succeeded' ? s.green : e.outcome === 'skipped' ? s.dim : s.red;
        printer.progress(
          `  ${colour(m)} ${e.step.padEnd(12)} ${seconds(e.ms).padStart(6)}  ${e.message}`,
          true,
        );
        break;
      }
      case 'step-start':
        break;
    }
  };
}

export function reportLine(r: ReleaseReport, printer: Printer): string {
  const s = printer.style;
  const what =
    r.kind === 'rollback' ? `rolled back ${r.service} to ${r.version}` : `${r.service} ${r.version}`;
  if (r.outcome === 'succeeded') {
    return `${s.green('✓')} release ${r.releaseId}: ${what} in ${r.environment} succeeded in ${seconds(r.durationMs)}`;
  }
  const back = r.reverted ? `; reverted to ${r.previousVersion ?? 'nothing (first release)'}` : '';
  return `${s.red('✗')} release ${r.releaseId}: ${what} in ${r.environment} ${r.outcome} — ${r.message}${back}`;
}

/** Exit code of a batch of releases: 0 all succeeded, 130 any cancelled, else 3. */
export function exitCodeOf(reports: readonly ReleaseReport[]): number {
  if (reports.some((r) => r.outcome === 'cancelled')) return 130;
  if (reports.some((r) => r.outcome !== 'succeeded')) return 3;
  return 0;
}

/** Left-aligned columns separated by two spaces. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: readonly string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [fmt(header), ...rows.map(fmt)].join('\n');
}
