// `ferry server --listen 127.0.0.1:7070 [-C <project> | --config <file>]`: the team server
// (src/server), on the store FERRY_STATE names (a postgres:// URL for a team, a SQLite file for
// one replica). The project is the folder -C names (default: here), or the `project:` of the
// configuration file (--config or FERRY_SERVER_CONFIG: a folder or a git repository). Logs are
// JSON lines on stdout. SIGTERM (or Ctrl-C): stop taking work, let running requests end within
// --grace, cancel the rest, exit 0.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { usageError } from '../../errors.ts';
import { cliIo } from '../io.ts';
import { workDir, type GlobalOptions } from '../output.ts';
import { parseSeconds, type ClusterFlags, addClusterOptions } from './release-common.ts';

interface Flags extends GlobalOptions, ClusterFlags {
  listen?: string;
  workers?: string;
  grace?: string;
  logLevel: string;
  config?: string;
}

export function parseListen(v: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(v.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535)
    throw usageError(
      'E_USAGE',
      `--listen ${v}: not host:port`,
      'e.g. 127.0.0.1:7070, or :7070 for every address',
    );
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

export function register(program: Command): void {
  addClusterOptions(
    program
      .command('server')
      .description(
        'run the team server: HTTP API, tokens, the deploy queue, live events (FERRY_STATE: postgres:// or a file)',
      )
      .option('--listen <host:port>', 'where to listen (default 127.0.0.1:7070)')
      .option('--workers <n>', 'requests this replica runs at once (default 4)')
      .option('--grace <duration>', 'on SIGTERM, how long running requests may take to finish (default 5m)')
      .option(
        '--config <file>',
        'the server configuration: project (a folder or a git repository), listen, workers, grace (default: FERRY_SERVER_CONFIG)',
      )
      .option('--log-level <level>', 'debug, info, warn or error', 'info'),
  ).action(async (_f: Flags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<Flags>();
    const io = cliIo();
    const configFile = flags.config ?? io.env.FERRY_SERVER_CONFIG;
    if (configFile && flags.dir)
      throw usageError('E_USAGE', '-C and --config both name the project', 'give one of them');
    const { readServerConfig } = await import('../../server/config-file.ts');
    const config = configFile ? readServerConfig(resolve(io.cwd, configFile)) : undefined;
    const { host, port } = parseListen(flags.listen ?? config?.listen ?? '127.0.0.1:7070');
    const workers = flags.workers === undefined ? (config?.workers ?? 4) : Number(flags.workers);
    if (!Number.isInteger(workers) || workers < 1)
      throw usageError('E_USAGE', `--workers ${flags.workers}: not a count`);
    const graceMs = parseSeconds(flags.grace ?? config?.grace ?? '5m', '--grace') * 1000;
    if (!io.env.FERRY_STATE)
      throw usageError(
        'E_USAGE',
        'the server needs FERRY_STATE: a postgres:// URL for a team, or a SQLite file for one replica',
        'e.g. FERRY_STATE=postgres://ferry@db/ferry ferry server',
      );
    const [
      { startServer },
      { serverLogger },
      { openProject },
      { createEngine },
      { DEFAULT_SETTINGS },
      { platformOf },
      { resolveGitHubConfig },
      { parsePodLabels },
    ] = await Promise.all([
      import('../../server/server.ts'),
      import('../../server/logger.ts'),
      import('../../server/project/open.ts'),
      import('../../engine/config.ts'),
      import('../../server/context.ts'),
      import('../../engine/actions/environments.ts'),
      import('../../server/github/config.ts'),
      import('../../engine/pod-labels.ts'),
    ]);
    const log = serverLogger({
      level: flags.logLevel,
      destination: { write: (s: string) => io.stdout.write(s) },
    });
    const dir = workDir(flags);
    const project = openProject(config?.project ?? { dir }, { env: io.env });
    // the project must load before the server takes requests: a broken checkout is an error now
    const { app } = await project.load();
    const engine = createEngine({
      root: config?.project && 'git' in config.project ? io.cwd : dir,
      env: io.env,
      kubeconfig: flags.kubeconfig,
      context: flags.context,
      clusterCommand: true,
      platform: platformOf(app),
      log,
    });
    const server = await startServer({
      engine,
      project,
      settings: {
        ...DEFAULT_SETTINGS,
        host,
        port,
        workers,
        graceMs,
        podLabels: parsePodLabels([], io.env.FERRY_POD_LABELS),
        github: resolveGitHubConfig(config?.github, io.env),
      },
      log,
      processMetrics: true,
    });
    io.stderr.write(`ferry server listening on ${server.url} (project: ${project.describe()})\n`);
    await new Promise<void>((resolve) => {
      let stopping = false;
      const stop = () => {
        if (stopping) return;
        stopping = true;
        void server.stop().then(resolve, resolve);
      };
      for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) io.signals.on(s, stop);
    });
  });
}
