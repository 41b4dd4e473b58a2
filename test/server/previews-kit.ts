// What the previews' server tests share: a stage namespace held for the file, a project folder
// (platform file and services), the local GitHub REST server, the real server on SQLite with
// GitHub configured, an admin token — and the waits and deliveries the tests use.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Namespace } from '@kubernetes/client-node';
import { githubSettings } from '../../src/server/github/client.ts';
import type { ServerSettings } from '../../src/server/context.ts';
import { deliver, fakeGitHub, pullRequestPayload, type FakeGitHub } from '../kit/github.ts';
import { holdNamespace, testCluster, waitFor, type TestCluster } from '../kit/cluster.ts';
import { sqliteState, testServer, type TestServer } from './kit.ts';

export interface PreviewsRig {
  stage: string;
  dir: string;
  server: TestServer;
  gh: FakeGitHub;
  cluster: TestCluster;
  admin: string;
  /** the request, once it ended */
  finished(id: unknown, timeoutMs?: number): Promise<{ state: string; message: string }>;
  /** a signed pull_request delivery for PR `n` at head commit `c` × 40 */
  event(action: string, n: number, c: string, labels?: string[], label?: string): ReturnType<typeof deliver>;
  namespaceOf(name: string): Promise<V1Namespace | undefined>;
  /** stops the servers, deletes `namespaces` and the folder, lets the stage namespace go */
  close(namespaces: readonly string[]): Promise<void>;
}

export async function previewsRig(o: {
  prefix: string;
  /** the platform file, given the stage namespace */
  platform: (stage: string) => string;
  /** service → its ferry.yaml */
  services: Readonly<Record<string, string>>;
  settings?: Partial<ServerSettings>;
  /** before the server starts (the cluster objects a test needs) */
  prepare?: (cluster: TestCluster) => Promise<void>;
}): Promise<PreviewsRig> {
  const held = await holdNamespace(o.prefix);
  const stage = held.namespace;
  const secret = `whsec-${randomBytes(8).toString('hex')}`;
  const cluster = await testCluster();
  await o.prepare?.(cluster);
  const gh = await fakeGitHub();
  const dir = mkdtempSync(join(tmpdir(), `ferry-${o.prefix}-`));
  writeFileSync(join(dir, 'ferry.platform.yaml'), o.platform(stage));
  for (const [name, manifest] of Object.entries(o.services)) {
    mkdirSync(join(dir, 'services', name), { recursive: true });
    writeFileSync(join(dir, 'services', name, 'ferry.yaml'), manifest);
  }
  const server = await testServer({
    dir,
    state: sqliteState(dir),
    settings: {
      workers: 2,
      previewSweepMs: 0,
      previewResyncMs: 0,
      github: githubSettings({}, { apiUrl: gh.url, token: gh.token, webhookSecret: secret }),
      ...o.settings,
    },
  });
  const admin = await server.token('admin');
  return {
    stage,
    dir,
    server,
    gh,
    cluster,
    admin,
    finished: (id, timeoutMs = 120_000) =>
      waitFor(
        `request ${String(id)}`,
        async () => {
          const r = await server.api<{ state: string; message: string }>(
            'GET',
            `/api/v1/requests/${String(id)}`,
            admin,
          );
          return ['succeeded', 'failed', 'rejected', 'cancelled'].includes(r.body.state) ? r.body : undefined;
        },
        timeoutMs,
      ),
    event: (action, n, c, labels = [], label) =>
      deliver(
        server.url,
        secret,
        'pull_request',
        pullRequestPayload({ action, number: n, sha: c.repeat(40), labels, ...(label ? { label } : {}) }),
      ),
    namespaceOf: (name) => cluster.core.readNamespace({ name }).catch(() => undefined),
    close: async (namespaces) => {
      await server.stop(5000);
      await gh.close();
      for (const name of namespaces) await cluster.core.deleteNamespace({ name }).catch(() => undefined);
      held.release();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
