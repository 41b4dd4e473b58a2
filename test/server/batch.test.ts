// A multi-service deploy through the team server, on SQLite and on PostgreSQL, on the real test
// cluster: `ferry deploy a:1 b:1 … --parallel 3 --server` queues one batch; from the stored
// requests' start and end times, each dependant started after its dependency ended and never more
// than three ran at once. Then the schema owner's migration fails: its consumers end cancelled,
// naming it, and are reported as not started; exit 3, the local batch's JSON shape.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { runFerry, type CliResult } from '../../src/cli/testing.ts';
import { parsePodLabel } from '../../src/engine/pod-labels.ts';
import type { QueuedRequest } from '../../src/store/server-types.ts';
import { withNamespace } from '../kit/cluster.ts';
import { serviceYaml, tempApp, type TestApp } from '../deploy/kit.ts';
import { pgAdminUrl, sqliteState, testServer, type TestServer } from './kit.ts';

/** service → the services it comes after */
const AFTER: Record<string, string[]> = {
  schema: [],
  api: ['schema'],
  worker: ['schema'],
  web: ['api'],
  docs: [],
  cache: [],
};
const SERVICES = Object.keys(AFTER);

function writeServices(app: TestApp): void {
  for (const [name, after] of Object.entries(AFTER)) {
    const yaml = serviceYaml(name, { instances: 2, migration: name === 'schema' });
    app.write(name, after.length ? `${yaml}after: [${after.join(', ')}]\n` : yaml);
  }
}

async function postgresState(): Promise<string> {
  const database = `ferry_batch_${process.pid}_${Date.now() % 100000}`;
  const c = new pg.Client({ connectionString: pgAdminUrl() });
  await c.connect();
  await c.query(`CREATE DATABASE ${database}`);
  await c.end();
  const u = new URL(pgAdminUrl());
  u.pathname = `/${database}`;
  return u.toString();
}

function deploy(server: TestServer, token: string, app: TestApp, version: string): Promise<CliResult> {
  return runFerry(
    [
      '-C',
      app.dir,
      'deploy',
      ...SERVICES.map((s) => `${s}:${version}`),
      '--env',
      'test',
      '--parallel',
      '3',
      '-o',
      'json',
    ],
    { FERRY_SERVER: server.url, FERRY_TOKEN: token },
  );
}

/** The most requests running at one moment, from their stored [start, end] intervals. */
function peak(rs: readonly QueuedRequest[]): number {
  const edges = rs.flatMap((r) => [
    { at: r.startedAt ?? Infinity, d: 1 },
    { at: r.endedAt ?? Infinity, d: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.d - b.d);
  let now = 0;
  let most = 0;
  for (const e of edges) most = Math.max(most, (now += e.d));
  return most;
}

interface BatchJson {
  releases: { service: string; version: string; outcome: string }[];
  notStarted: { service: string; version: string; reason: string; blockedBy?: string }[];
}

for (const kind of ['sqlite', 'postgres'] as const) {
  test(
    `a batch through the server on ${kind}: after: order, --parallel, a failure starts nothing new`,
    {
      timeout: 480_000,
    },
    async () => {
      await withNamespace(`batch-${kind === 'sqlite' ? 'lite' : 'pg'}`, async ({ namespace }) => {
        const app = tempApp(namespace);
        let server: TestServer | undefined;
        try {
          writeServices(app);
          const state = kind === 'sqlite' ? sqliteState(app.dir) : await postgresState();
          server = await testServer({ dir: app.dir, state, settings: { workers: 4 } });
          const token = await server.token('deployer');
          const d = await deploy(server, token, app, '1.0.0');
          assert.equal(d.code, 0, d.stderr);
          const out = JSON.parse(d.stdout) as BatchJson;
          assert.deepEqual(
            out.releases.map((r) => [r.service, r.outcome]),
            SERVICES.map((s) => [s, 'succeeded']),
            'every report, in the order the targets were given',
          );
          assert.deepEqual(out.notStarted, []);
          assert.match(d.stderr, /^batch \d+ queued on /m);
          assert.match(d.stderr, /^web +\| release \d+: deploy web 1\.0\.0 → test$/m);

          const stored = await server.ctx.records.listRequests({ environment: 'test', limit: 100 });
          assert.equal(stored.length, SERVICES.length);
          assert.equal(new Set(stored.map((r) => r.batch)).size, 1, 'one batch');
          const by = new Map(stored.map((r) => [r.service, r]));
          for (const [service, after] of Object.entries(AFTER)) {
            assert.deepEqual(
              by.get(service)?.waitsFor,
              after.map((a) => by.get(a)!.id),
              `${service} waits for ${after.join(', ') || 'nothing'}`,
            );
            for (const dep of after) {
              const [s, e] = [by.get(service)!.startedAt!, by.get(dep)!.endedAt!];
              assert.ok(s >= e, `${service} started ${s - e} ms after ${dep} ended`);
            }
          }
          const most = peak(stored);
          assert.ok(most <= 3, `at most 3 at once, saw ${most}`);
          assert.ok(most >= 2, `requests ran side by side (peak ${most})`);
          await server.stop(5_000);

          // the schema owner's migration fails: nothing behind it starts, nothing new starts
          server = await testServer({
            dir: app.dir,
            state,
            settings: { workers: 4, podLabels: [parsePodLabel('migration:ferry.dev/fault=fail')] },
          });
          const f = await deploy(server, token, app, '2.0.0');
          assert.equal(f.code, 3, f.stderr);
          const failed = JSON.parse(f.stdout) as BatchJson;
          assert.deepEqual(
            failed.releases.map((r) => [r.service, r.outcome]),
            [
              ['schema', 'failed'],
              ['docs', 'succeeded'],
              ['cache', 'succeeded'],
            ],
            'docs and cache needed nothing: they ran beside schema',
          );
          assert.deepEqual(
            failed.notStarted.map((n) => [n.service, n.version, n.reason, n.blockedBy]),
            [
              ['api', '2.0.0', 'dependency', 'schema'],
              ['worker', '2.0.0', 'dependency', 'schema'],
              ['web', '2.0.0', 'dependency', 'schema'],
            ],
          );
          const second = (await server.ctx.records.listRequests({ environment: 'test', limit: 100 })).filter(
            (r) => r.payload.version === '2.0.0',
          );
          const schema = second.find((r) => r.service === 'schema')!;
          for (const s of ['api', 'worker', 'web']) {
            const r = second.find((x) => x.service === s)!;
            assert.equal(r.state, 'cancelled');
            assert.equal(r.startedAt, undefined, `${s} never started`);
            assert.match(
              r.message,
              new RegExp(`comes after schema \\(request ${schema.id}\\), which ended failed`),
            );
          }
        } finally {
          await server?.stop(5_000);
          app.cleanup();
        }
      });
    },
  );
}
