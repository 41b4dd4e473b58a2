// GET /api/v1/dora and the DORA gauges of /metrics answer what `ferry dora -o json` prints for
// the same store: real HTTP on loopback, a real SQLite store seeded with a known history.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFerry } from '../../src/cli/testing.ts';
import type { DoraReport } from '../../src/engine/dora/figures.ts';
import { seedDoraHistory } from '../../src/engine/dora/testing.ts';
import { openStore } from '../../src/store/open.ts';
import { sqliteState, testServer, type TestServer } from './kit.ts';

let dir: string;
let server: TestServer;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-server-dora-'));
  writeFileSync(
    join(dir, 'ferry.platform.yaml'),
    `services: ['services/*']
environments:
  test: { namespace: dora-test, createNamespace: false, tls: { disabled: true } }
  prod: { namespace: dora-prod, createNamespace: false, tls: { disabled: true }, protected: true }
`,
  );
  mkdirSync(join(dir, 'services', 'hcn'), { recursive: true });
  writeFileSync(
    join(dir, 'services', 'hcn', 'ferry.yaml'),
    'service: hcn\nimage: r.example.com/hcn\nport: 8080\n',
  );
  const store = await openStore(sqliteState(dir));
  await seedDoraHistory(store, Date.now());
  await store.close();
  server = await testServer({ dir, state: sqliteState(dir), settings: { workers: 0 } });
});

after(async () => {
  await server?.stop(1000);
  rmSync(dir, { recursive: true, force: true });
});

type Figures = DoraReport['overall'];

test('the API and the CLI give the same figures for the same store', async () => {
  const viewer = await server.token('viewer');
  const api = await server.api<DoraReport>('GET', '/api/v1/dora?since=30d', viewer);
  assert.equal(api.status, 200, JSON.stringify(api.body));
  const cli = await runFerry(['-C', dir, 'dora', '--since', '30d', '-o', 'json'], {
    FERRY_STATE: sqliteState(dir),
    KUBECONFIG: '/nonexistent',
  });
  assert.equal(cli.code, 0, cli.stderr);
  const doc = JSON.parse(cli.stdout) as DoraReport;
  assert.deepEqual(api.body.overall, doc.overall);
  assert.deepEqual(api.body.services, doc.services);
  assert.deepEqual(
    api.body.weeks.map((w) => w.deployments),
    doc.weeks.map((w) => w.deployments),
  );
  const f: Figures = api.body.overall;
  assert.deepEqual([f.frequency.deployments, f.changeFailRate.failed, f.changeFailRate.changes], [4, 2, 5]);

  const testEnv = await server.api<DoraReport>('GET', '/api/v1/dora?environment=test', viewer);
  assert.equal(testEnv.body.overall.changeFailRate.failed, 1);
});

test('a bad window is a 400 naming the query field; no token is a 401', async () => {
  const viewer = await server.token('viewer');
  const bad = await server.api<{ error: { code: string; message: string } }>(
    'GET',
    '/api/v1/dora?since=soon',
    viewer,
  );
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'E_DURATION');
  assert.match(bad.body.error.message, /^query\.since: "soon"/);
  assert.equal((await server.api('GET', '/api/v1/dora', undefined)).status, 401);
});

test('/metrics carries the DORA gauges per environment', async () => {
  const viewer = await server.token('viewer');
  const m = await server.api<string>('GET', '/metrics', viewer);
  assert.equal(m.status, 200);
  const value = (line: string) => {
    const hit = m.body.split('\n').find((l) => l.startsWith(`${line} `));
    assert.ok(hit, `${line} in /metrics`);
    return Number(hit.slice(line.length + 1));
  };
  assert.equal(value('ferry_dora_change_fail_rate{environment="prod"}'), 0.4);
  assert.equal(value('ferry_dora_change_fail_rate{environment="test"}'), 1);
  assert.equal(value('ferry_dora_lead_time_seconds{environment="prod",quantile="0.5"}'), 4 * 3600);
  assert.equal(value('ferry_dora_recovery_seconds{environment="prod"}'), 27.5 * 60);
  assert.equal(value('ferry_dora_rework_rate{environment="prod"}'), 0.5);
  assert.ok(Math.abs(value('ferry_dora_deployments_per_day{environment="prod"}') - 4 / 30) < 1e-12);
});
