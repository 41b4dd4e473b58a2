// A real ferry server for the tests: the server's own code on a loopback port, a real store
// (SQLite file or the test PostgreSQL), the real test cluster, a project folder — and tokens of
// each role, made the way `ferry token create` makes them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeCluster } from '../../src/cluster/kube.ts';
import { platformOf } from '../../src/engine/actions/environments.ts';
import { createEngine } from '../../src/engine/config.ts';
import { silentLogger, type Logger } from '../../src/engine/log.ts';
import { loadApp } from '../../src/manifest/load.ts';
import { createToken } from '../../src/server/token-admin.ts';
import { DEFAULT_SETTINGS, type ServerSettings } from '../../src/server/context.ts';
import { openProject } from '../../src/server/project/open.ts';
import { startServer, type RunningServer } from '../../src/server/server.ts';
import type { Role } from '../../src/store/server-types.ts';
import { testKubeconfigPath } from '../kit/cluster.ts';

export const pgAdminUrl = (): string =>
  readFileSync(new URL('../../.ferry/postgres/url', import.meta.url), 'utf8').trim();

export interface TestServer extends RunningServer {
  token(role: Role, environments?: string[], name?: string): Promise<string>;
  api<T = unknown>(
    method: string,
    path: string,
    token: string | undefined,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
}

export async function testServer(opts: {
  dir: string;
  state: string;
  settings?: Partial<ServerSettings>;
  log?: Logger;
}): Promise<TestServer> {
  const cluster = new KubeCluster({ kubeconfig: testKubeconfigPath() });
  const app = await loadApp(opts.dir);
  const engine = createEngine(
    {
      root: opts.dir,
      env: { ...process.env, FERRY_STATE: opts.state },
      clusterCommand: true,
      platform: platformOf(app),
    },
    { clusterFor: () => cluster },
  );
  const server = await startServer({
    engine,
    project: openProject({ dir: opts.dir }),
    settings: {
      ...DEFAULT_SETTINGS,
      host: '127.0.0.1',
      port: 0,
      graceMs: 30_000,
      statusRefreshMs: 2_000,
      ...opts.settings,
    },
    log: opts.log ?? silentLogger,
  });
  const records = server.ctx.records;
  return {
    ...server,
    token: async (role, environments = [], name = `${role}-${Math.random().toString(36).slice(2, 8)}`) =>
      (await createToken(records, { name, role, environments, createdBy: 'test', now: Date.now() })).token,
    api: async (method, path, token, body) => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      let json: unknown = text;
      try {
        json = JSON.parse(text);
      } catch {
        // metrics and errors of other shapes stay text
      }
      return { status: res.status, body: json as never };
    },
  };
}

export const sqliteState = (dir: string): string => join(dir, '.ferry', 'server.db');
