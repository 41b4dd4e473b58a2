// Parallel multi-service deploys through the CLI on the real test cluster: six services with
// `after:` lists and --parallel 3. From the stored releases' start and end times: never more than
// three at once, and each dependant started after its dependency ended. Then a failing schema
// owner: its consumers are reported as not started, nothing new starts, exit 3.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runFerry, type CliResult } from '../../src/cli/testing.ts';
import { openStore } from '../../src/store/open.ts';
import type { ReleaseSummary } from '../../src/store/types.ts';
import { testKubeconfigPath, withNamespace } from '../kit/cluster.ts';
import { serviceYaml, tempApp, type TestApp } from './kit.ts';

function ferry(app: TestApp, ...args: string[]): Promise<CliResult> {
  return runFerry(['-C', app.dir, ...args], {
    FERRY_STATE: app.statePath,
    FERRY_ACTOR: 'cli@test',
    KUBECONFIG: testKubeconfigPath(),
  });
}

/** service → the services it comes after */
const AFTER: Record<string, string[]> = {
  schema: [],
  api: ['schema'],
  worker: ['schema'],
  web: ['api'],
  docs: [],
  cache: [],
};

function writeServices(app: TestApp): void {
  for (const [name, after] of Object.entries(AFTER)) {
    const yaml = serviceYaml(name, { instances: 2, migration: name === 'schema' });
    app.write(name, after.length ? `${yaml}after: [${after.join(', ')}]\n` : yaml);
  }
}

/** The most releases running at one moment, from their [start, end] intervals. */
function peak(rs: readonly ReleaseSummary[]): number {
  const edges = rs.flatMap((r) => [
    { at: r.startedAt, d: 1 },
    { at: r.endedAt ?? Infinity, d: -1 },
  ]);
  // an end at the same millisecond as a start frees its slot first
  edges.sort((a, b) => a.at - b.at || a.d - b.d);
  let now = 0;
  let most = 0;
  for (const e of edges) most = Math.max(most, (now += e.d));
  return most;
}

test('deploy of six services with after: and --parallel 3', { timeout: 240_000 }, async () => {
  await withNamespace('parallel', async ({ namespace }) => {
    const app = tempApp(namespace);
    try {
      writeServices(app);
      const targets = Object.keys(AFTER).map((s) => `${s}:1.0.0`);
      const d = await ferry(app, 'deploy', ...targets, '--env', 'test', '--parallel', '3', '-o', 'json');
      assert.equal(d.code, 0, d.stderr);
      const out = JSON.parse(d.stdout) as {
        releases: { service: string; outcome: string }[];
        notStarted: unknown[];
      };
      assert.deepEqual(
        out.releases.map((r) => [r.service, r.outcome]),
        Object.keys(AFTER).map((s) => [s, 'succeeded']),
        'every report, in the order the targets were given',
      );
      assert.deepEqual(out.notStarted, []);
      // progress lines of side-by-side releases carry their service
      assert.match(d.stderr, /^schema +\| release \d+: deploy schema 1\.0\.0 → test$/m);
      assert.match(d.stderr, /^web +\| +✓ track /m);

      const store = await openStore(app.statePath);
      try {
        const rs = (await store.releases({ environment: 'test', limit: 100 })).items;
        assert.equal(rs.length, 6);
        assert.ok(rs.every((r) => r.outcome === 'succeeded' && r.endedAt !== undefined));
        const by = new Map(rs.map((r) => [r.service, r]));
        const most = peak(rs);
        assert.ok(most <= 3, `at most 3 at once, saw ${most}`);
        assert.ok(most >= 2, `releases ran side by side (peak ${most})`);
        for (const [service, after] of Object.entries(AFTER)) {
          for (const dep of after) {
            const [s, e] = [by.get(service)!.startedAt, by.get(dep)!.endedAt!];
            assert.ok(s >= e, `${service} started ${s - e} ms after ${dep} ended`);
          }
        }
      } finally {
        await store.close();
      }

      // version 2: the schema owner's migration fails — its consumers do not start, exit 3
      const f = await ferry(
        app,
        'deploy',
        ...Object.keys(AFTER).map((s) => `${s}:2.0.0`),
        '--env',
        'test',
        '--parallel',
        '3',
        '--pod-label',
        'migration:ferry.dev/fault=fail',
        '-o',
        'json',
      );
      assert.equal(f.code, 3, f.stderr);
      const failed = JSON.parse(f.stdout) as {
        releases: { service: string; outcome: string }[];
        notStarted: { service: string; reason: string; blockedBy?: string }[];
      };
      const schema = failed.releases.find((r) => r.service === 'schema');
      assert.equal(schema?.outcome, 'failed');
      const blocked = failed.notStarted.filter((n) => n.reason === 'dependency');
      assert.deepEqual(
        blocked.map((n) => [n.service, n.blockedBy]),
        [
          ['api', 'schema'],
          ['worker', 'schema'],
          ['web', 'schema'],
        ],
      );
      // docs and cache needed nothing: they started beside schema, finished, and are reported
      assert.deepEqual(
        failed.releases.map((r) => [r.service, r.outcome]),
        [
          ['schema', 'failed'],
          ['docs', 'succeeded'],
          ['cache', 'succeeded'],
        ],
      );
    } finally {
      app.cleanup();
    }
  });
});
