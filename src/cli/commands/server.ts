// `ferry server --listen 127.0.0.1:7070 [-C <project>]`: the team server (src/server), on the
// store FERRY_STATE names (a postgres:// URL for a team, a SQLite file for one replica). Logs are
// JSON lines on stdout. SIGTERM (or Ctrl-C): stop taking work, let running requests end within
// --grace, cancel the rest, exit 0.
import type { Command } from 'commander';
import { usageError } from '../../errors.ts';
import { cliIo } from '../io.ts';
import { workDir, type GlobalOptions } from '../output.ts';
import { parseSeconds, type ClusterFlags, addClusterOptions } from './release-common.ts';

interface Flags extends GlobalOptions, ClusterFlags {
  listen: string;
  workers: string;
  grace: string;
  logLevel: string;
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
      .option('--listen <host:port>', 'where to listen', '127.0.0.1:7070')
      .option('--workers <n>', 'requests this replica runs at once', '4')
      .option('--grace <duration>', 'on SIGTERM, how long running requests may take to finish', '5m')
      .option('--log-level <level>', 'debug, info, warn or error', 'info'),
  ).action(async (_f: Flags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<Flags>();
    const io = cliIo();
    const { host, port } = parseListen(flags.listen);
    const workers = Number(flags.workers);
    if (!Number.isInteger(workers) || workers < 1)
      throw usageError('E_USAGE', `--workers ${flags.workers}: not a count`);
    const graceMs = parseSeconds(flags.grace, '--grace') * 1000;
    if (!io.env.FERRY_STATE)
      throw usageError(
        'E_USAGE',
        'the server needs FERRY_STATE: a postgres:// URL for a team, or a SQLite file for one replica',
        'e.g. FERRY_STATE=postgres://ferry@db/ferry ferry server',
      );
    const [
      { startServer },
      { serverLogger },
      { localProject },
      { createEngine },
      { DEFAULT_SETTINGS },
      { loadApp },
      { platformOf },
      { githubSettings },
    ] = await Promise.all([
      import('../../server/server.ts'),
      import('../../server/logger.ts'),
      import('../../server/local-project.ts'),
      import('../../engine/config.ts'),
      import('../../server/context.ts'),
      import('../../manifest/load.ts'),
      import('../../engine/actions/environments.ts'),
      import('../../server/github/client.ts'),
    ]);
    const log = serverLogger({
      level: flags.logLevel,
      destination: { write: (s: string) => io.stdout.write(s) },
    });
    const dir = workDir(flags);
    const project = localProject(dir);
    // the project must load before the server takes requests: a broken checkout is an error now
    const app = await loadApp(dir);
    const engine = createEngine({
      root: dir,
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
      settings: { ...DEFAULT_SETTINGS, host, port, workers, graceMs, github: githubSettings(io.env) },
      log,
      processMetrics: true,
    });
    io.stderr.write(`ferry server listening on ${server.url}\n`);
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
