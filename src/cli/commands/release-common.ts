// Shared by deploy, rollback, status, history and diff: cluster flags, the engine of a command,
// interrupts, and the human rendering of progress and releases.
import type { Command } from 'commander';
import { delimiter, dirname, resolve } from 'node:path';
import type { NotStartedDeploy } from '../../engine/actions/deploy-batch.ts';
import type { Engine } from '../../engine/config.ts';
import type { Logger } from '../../engine/log.ts';
import type { ProgressEvent } from '../../engine/progress.ts';
import type { ReleaseReport } from '../../engine/views.ts';
import type { LoadedApp } from '../../manifest/load.ts';
import { cliIo } from '../io.ts';
import { workDir, type GlobalOptions, type Printer } from '../output.ts';
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

export interface ServerFlags {
  server?: string;
  token?: string;
}

/** `--server`/`--token`: run the command through the team server (also FERRY_SERVER/FERRY_TOKEN). */
export function addServerOptions(cmd: Command): Command {
  return cmd
    .option('--server <url>', 'run it through the team server at this URL (default: FERRY_SERVER)')
    .option('--token <token>', 'the API token for --server (prefer FERRY_TOKEN: argv is visible to ps)');
}

/** The team server's client when --server or FERRY_SERVER says so; undefined: work locally. */
export async function remoteClient(
  flags: ServerFlags,
): Promise<import('../remote/client.ts').ApiClient | undefined> {
  const { remoteSettings, ApiClient } = await import('../remote/client.ts');
  const settings = remoteSettings(flags, cliIo().env);
  return settings ? new ApiClient(settings) : undefined;
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

/** Where the app lives: the platform file's folder, else the command's folder. */
export function appRoot(app: LoadedApp | undefined, dir: string): string {
  return app?.platform.file ? dirname(app.platform.file) : dir;
}

/** The engine's logger for people: warnings and errors on stderr; more with FERRY_LOG=info|debug. */
export function cliLogger(printer: Printer, env: NodeJS.ProcessEnv): Logger {
  const level = env.FERRY_LOG === 'debug' ? 0 : env.FERRY_LOG === 'info' ? 1 : 2;
  const line = (kind: string, fields: Record<string, unknown>, message: string) => {
    const detail = Object.entries(fields)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    printer.note(`${kind}: ${message}${detail ? ` (${detail})` : ''}`);
  };
  return {
    debug: (f, m) => level <= 0 && line('debug', f, m),
    info: (f, m) => level <= 1 && line('info', f, m),
    warn: (f, m) => line('warning', f, m),
    error: (f, m) => line('error', f, m),
  };
}

/**
 * The engine of a command run in the project `app` (the store and clusters open on first use).
 * A kube context named by the environment but missing from the kubeconfig is an error unless
 * --context picks another.
 */
export async function openEngine(
  app: LoadedApp | undefined,
  flags: ClusterFlags & GlobalOptions,
  printer: Printer,
  opts: { clusterCommand: boolean },
): Promise<Engine> {
  const [{ createEngine }, { platformOf }] = await Promise.all([
    import('../../engine/config.ts'),
    import('../../engine/actions/environments.ts'),
  ]);
  const io = cliIo();
  // the run's KUBECONFIG (a list of files is left to the client's own default loading)
  const fromEnv = io.env.KUBECONFIG && !io.env.KUBECONFIG.includes(delimiter) ? io.env.KUBECONFIG : undefined;
  const kubeconfig = flags.kubeconfig ?? fromEnv;
  return createEngine({
    root: appRoot(app, workDir(flags)),
    env: io.env,
    kubeconfig: kubeconfig === undefined ? undefined : resolve(io.cwd, kubeconfig),
    context: flags.context,
    clusterCommand: opts.clusterCommand,
    ...(app ? { platform: platformOf(app) } : {}),
    log: cliLogger(printer, io.env),
  });
}

export interface Interruptible {
  /** the first interrupt: cancel, bring the cluster back, record */
  signal: AbortSignal;
  /** the second: stop what runs (a migration Job too) at once, then bring the cluster back */
  hardSignal: AbortSignal;
  dispose(): void;
}

/**
 * SIGINT (Ctrl-C), SIGTERM and SIGHUP once: cancel (the release ends cancelled and the cluster is
 * brought back; a migration that can be migrated down may finish first). Twice: stop what runs
 * now. Three times: exit at once (the lease is then taken over by the next deploy).
 */
export function interruptible(printer: Printer): Interruptible {
  const io = cliIo();
  const soft = new AbortController();
  const hard = new AbortController();
  let count = 0;
  const onSignal = () => {
    count++;
    if (count === 1) {
      printer.note(
        'interrupted: cancelling and restoring the previous release (interrupt again to stop what runs now)',
      );
      soft.abort();
    } else if (count === 2) {
      printer.note('interrupted again: stopping what runs now, then restoring (a third time exits at once)');
      hard.abort();
    } else {
      printer.note('interrupted a third time: exiting now; the next deploy takes over the lease');
      io.exitNow(130);
    }
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) io.signals.on(s, onSignal);
  return {
    signal: soft.signal,
    hardSignal: hard.signal,
    dispose: () => {
      for (const s of signals) io.signals.off(s, onSignal);
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

/**
 * One line per step on stderr as it ends, and live `2/4 ready` lines while a step runs. With
 * `prefixWidth` (releases running side by side) each line starts with its service, padded to that
 * width, so interleaved lines stay readable.
 */
export function progressPrinter(
  printer: Printer,
  opts: { prefixWidth?: number } = {},
): (e: ProgressEvent) => void {
  const s = printer.style;
  const w = opts.prefixWidth;
  return (e) => {
    const say = (text: string) =>
      printer.progress(w === undefined ? text : `${s.dim(`${e.service.padEnd(w)} |`)} ${text}`, true);
    switch (e.type) {
      case 'release':
        say(s.bold(`release ${e.releaseId}: ${e.kind} ${e.service} ${e.version} → ${e.environment}`));
        break;
      case 'step-progress':
        say(`    ${e.step}: ${e.message}`);
        break;
      case 'step-end': {
        const m = mark[e.outcome] ?? '?';
        const colour = e.outcome === 'succeeded' ? s.green : e.outcome === 'skipped' ? s.dim : s.red;
        say(`  ${colour(m)} ${e.step.padEnd(12)} ${seconds(e.ms).padStart(6)}  ${e.message}`);
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
    r.kind === 'rollback'
      ? `rolled back ${r.service} to ${r.sourceRelease ? `release ${r.sourceRelease.id} (${r.version})` : r.version}`
      : `${r.service} ${r.version}`;
  if (r.outcome === 'succeeded') {
    return `${s.green('✓')} release ${r.id}: ${what} in ${r.environment} succeeded in ${seconds(r.durationMs ?? 0)}`;
  }
  const back = r.reverted ? `; reverted to ${r.previousVersion ?? 'nothing (first release)'}` : '';
  return `${s.red('✗')} release ${r.id}: ${what} in ${r.environment} ${r.outcome} — ${r.message}${back}`;
}

/** A target of a batch that did not start, and why. */
export function notStartedLine(n: NotStartedDeploy, printer: Printer): string {
  const why =
    n.reason === 'dependency'
      ? `it comes after ${n.blockedBy ?? '?'}, which did not succeed`
      : 'the batch stopped at a failure';
  return `${printer.style.dim('-')} ${n.service} ${n.version}: not started (${why})`;
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
