// The server end to end, as its users drive it: the CLI as a client deploys, shows status and
// history and rolls back through the API; the event stream resumes after a dropped connection
// without losing an event; a running deploy is cancelled and reverted; an environment with
// approvals holds a request until someone else approves; and a secret value the deploy made
// never appears in any answer, event or log line. Real HTTP on loopback, real SQLite, the real
// cluster, the real PostgreSQL for the provisioned database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runFerry } from '../../src/cli/testing.ts';
import { parsePodLabel } from '../../src/engine/pod-labels.ts';
import { serverLogger } from '../../src/server/logger.ts';
import { withNamespace, type TestNamespace } from '../kit/cluster.ts';
import { serviceYaml, tempApp, type TestApp } from '../deploy/kit.ts';
import { pgAdminUrl, sqliteState, testServer, type TestServer } from './kit.ts';

let app: TestApp;
let server: TestServer;
let ns: TestNamespace;
let done: () => void;
const logLines: string[] = [];
let gatedNamespace: string;

before(async () => {
  ns = await new Promise<TestNamespace>((resolve) => {
    void withNamespace('server-flow', async (n) => {
      resolve(n);
      await new Promise<void>((r) => (done = r));
    });
  });
  gatedNamespace = `${ns.namespace}-gated`;
  process.env.FERRY_TEST_PG_ADMIN = pgAdminUrl();
  app = tempApp(
    ns.namespace,
    '',
    `    database: { admin: '\${FERRY_TEST_PG_ADMIN}' }
  gated:
    namespace: ${gatedNamespace}
    tls: { disabled: true }
    approvals: 1
`,
  );
  const id = Math.random().toString(36).slice(2, 8);
  app.write('web', serviceYaml('web', { instances: 2 }));
  app.write(
    'ledger',
    `${serviceYaml('ledger', { instances: 1 })}features: { postgres: { database: ledger_${id} } }\nenvironments: { test: {} }\n`,
  );
  // its migration takes 20 s to be ready: long enough to cancel
  app.write(
    'slow',
    `${serviceYaml('slow', { instances: 1, migration: true })}pod: { annotations: { ferry.dev/ready-delay: 20s } }\nenvironments: { test: {} }\n`,
  );
  server = await testServer({
    dir: app.dir,
    state: sqliteState(app.dir),
    settings: { workers: 4, podLabels: [parsePodLabel('migration:ferry.dev/fault=slow-ready')] },
    log: serverLogger({ level: 'debug', destination: { write: (s: string) => void logLines.push(s) } }),
  });
});

after(async () => {
  await server?.stop(5_000);
  try {
    await ns?.core.deleteNamespace({ name: gatedNamespace });
  } catch {
    // never made
  }
  done?.();
  app?.cleanup();
});

async function cli(args: string[], token: string) {
  return runFerry([...args, '-C', app.dir], { FERRY_SERVER: server.url, FERRY_TOKEN: token });
}

interface Frame {
  id: number;
  type: string;
  data: Record<string, unknown>;
}

/** Reads the event stream from `after` until `until` says stop (or the abort), as frames. */
async function readEvents(
  token: string,
  after: number | undefined,
  until: (f: Frame, all: Frame[]) => boolean,
  lastEventId?: number,
): Promise<Frame[]> {
  const ctl = new AbortController();
  const res = await fetch(`${server.url}/api/v1/events${after !== undefined ? `?after=${after}` : ''}`, {
    headers: {
      authorization: `Bearer ${token}`,
      ...(lastEventId !== undefined ? { 'last-event-id': String(lastEventId) } : {}),
    },
    signal: ctl.signal,
  });
  assert.equal(res.status, 200);
  const out: Frame[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  try {
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) break;
      buf += decoder.decode(value, { stream: true });
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const text = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const id = /^id: (\d+)$/m.exec(text)?.[1];
        if (!id) continue;
        const f: Frame = {
          id: Number(id),
          type: /^event: (.+)$/m.exec(text)?.[1] ?? '',
          data: JSON.parse(/^data: (.+)$/m.exec(text)?.[1] ?? '{}') as Record<string, unknown>,
        };
        out.push(f);
        if (until(f, out)) return out;
      }
    }
  } finally {
    ctl.abort();
  }
  return out;
}

test('the CLI as a client: deploy, status, history and rollback through the server, with -o json shapes as local', async () => {
  const deployer = await server.token('deployer', ['test'], 'alice');
  const first = await cli(['deploy', 'web:1.0.0', '--env', 'test'], deployer);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /request \d+ queued/);
  assert.match(first.stderr, /✓ apply/, 'the steps stream in as they end');
  assert.match(first.stdout, /release \d+: web 1\.0\.0 in test succeeded/);

  const second = await cli(['deploy', 'web:1.1.0', '--env', 'test', '-o', 'json'], deployer);
  assert.equal(second.code, 0, second.stderr);
  const report = (JSON.parse(second.stdout) as { releases: Record<string, unknown>[] }).releases[0]!;
  assert.equal(report.outcome, 'succeeded');
  assert.equal(report.version, '1.1.0');
  assert.equal(report.actor, 'alice', 'recorded as the token that asked');
  assert.equal(report.previousVersion, '1.0.0');
  assert.equal(report.reverted, false);
  for (const k of ['id', 'kind', 'service', 'environment', 'steps', 'durationMs'])
    assert.ok(k in report, `the report has ${k}`);

  const hist = await cli(['history', 'web', '--env', 'test', '-o', 'json'], deployer);
  assert.equal(hist.code, 0, hist.stderr);
  const h = JSON.parse(hist.stdout) as { releases: { version: string; steps: unknown[] }[] };
  assert.deepEqual(
    h.releases.map((r) => r.version),
    ['1.1.0', '1.0.0'],
  );
  assert.ok(h.releases[0]!.steps.length > 3, 'with the steps, as locally');

  const back = await cli(['rollback', 'web', '--env', 'test', '-o', 'json'], deployer);
  assert.equal(back.code, 0, back.stderr);
  const rb = (JSON.parse(back.stdout) as { release: { kind: string; version: string; outcome: string } })
    .release;
  assert.deepEqual([rb.kind, rb.version, rb.outcome], ['rollback', '1.0.0', 'succeeded']);
  const d = await ns.apps.readNamespacedDeployment({ name: 'web', namespace: ns.namespace });
  assert.equal(d.spec?.template.spec?.containers[0]?.image, 'registry.example.com/test/web:1.0.0');

  // status through the server: the live version once the status cache has read the cluster
  let status: { services: { service: string; liveVersion?: string; health: string }[] } | undefined;
  for (let i = 0; i < 30; i++) {
    const s = await cli(['status', 'web', '--env', 'test', '-o', 'json'], deployer);
    status = JSON.parse(s.stdout) as typeof status;
    if (status?.services[0]?.liveVersion === '1.0.0' && status.services[0].health === 'healthy') break;
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.equal(status?.services[0]?.liveVersion, '1.0.0');
  assert.equal(status?.services[0]?.health, 'healthy');

  // the same refusals as locally, with the same exit codes
  const typo = await cli(['deploy', 'wbe:1.0.0', '--env', 'test'], deployer);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /did you mean "web"/);
  const viewer = await server.token('viewer');
  const refused = await cli(['deploy', 'web:1.0.1', '--env', 'test'], viewer);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /deployer/);
});

test('the event stream: a client that drops and reconnects with Last-Event-ID misses no event', async () => {
  const token = await server.token('deployer', ['test']);
  // a reader that stays connected through a whole deploy, from the current end
  const all = readEvents(token, undefined, (f) => f.type === 'request.finished');
  await new Promise((r) => setTimeout(r, 200));
  const q = await server.api<{ id: number }>('POST', '/api/v1/deploys', token, {
    service: 'web',
    environment: 'test',
    version: '1.2.0',
  });
  assert.equal(q.status, 202);
  // a second reader drops after 3 events, then resumes from the last one it saw
  const firstPart = await readEvents(token, undefined, (_f, seen) => seen.length >= 3, undefined);
  const resumed = await readEvents(
    token,
    undefined,
    (f) => f.type === 'request.finished',
    firstPart.at(-1)!.id,
  );
  const full = await all;
  const ids = (fs: Frame[]) => fs.map((f) => f.id);
  const joined = [...ids(firstPart), ...ids(resumed)];
  const tail = ids(full).filter((i) => i >= joined[0]!);
  assert.deepEqual(joined, tail, 'the resumed stream continues exactly after the last event seen');
  assert.ok(full.some((f) => f.type === 'step.ended'));
});

test('cancel: a running deploy ends cancelled and the cluster runs the previous release', async () => {
  const token = await server.token('deployer', ['test']);
  const first = await cli(['deploy', 'slow:1.0.0', '--env', 'test'], token);
  assert.equal(first.code, 0, first.stderr);
  // wait until its migration runs, then cancel
  const migrating = readEvents(
    token,
    undefined,
    (f) =>
      f.type === 'step.started' &&
      (f.data.step as { name: string }).name === 'migrate' &&
      (f.data.release as { service: string }).service === 'slow',
  );
  await new Promise((r) => setTimeout(r, 200));
  const q = await server.api<{ id: number }>('POST', '/api/v1/deploys', token, {
    service: 'slow',
    environment: 'test',
    version: '2.0.0',
  });
  assert.equal(q.status, 202);
  await migrating;
  const c = await server.api<{ state: string }>('POST', `/api/v1/requests/${q.body.id}/cancel`, token, {});
  assert.equal(c.status, 200);
  let r: { state: string; release?: { id: number } } = { state: 'running' };
  for (let i = 0; i < 720 && !['cancelled', 'failed', 'succeeded', 'rejected'].includes(r.state); i++) {
    await new Promise((res) => setTimeout(res, 250));
    r = (await server.api<typeof r>('GET', `/api/v1/requests/${q.body.id}`, token)).body;
  }
  assert.equal(r.state, 'cancelled');
  const rel = await server.api<{ release: { outcome: string } }>(
    'GET',
    `/api/v1/releases/slow/test/${r.release!.id}`,
    token,
  );
  assert.equal(rel.body.release.outcome, 'cancelled');
  const d = await ns.apps.readNamespacedDeployment({ name: 'slow', namespace: ns.namespace });
  assert.equal(d.spec?.template.spec?.containers[0]?.image, 'registry.example.com/test/slow:1.0.0');
});

test('approvals: a request waits until someone else approves it, then runs', async () => {
  const alice = await server.token('deployer', ['gated'], 'alice-gated');
  const bob = await server.token('deployer', ['gated'], 'bob-gated');
  const q = await server.api<{ id: number; state: string }>('POST', '/api/v1/deploys', alice, {
    service: 'web',
    environment: 'gated',
    version: '3.0.0',
  });
  assert.equal(q.status, 202);
  assert.equal(q.body.state, 'approval');
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(
    (await server.api<{ state: string }>('GET', `/api/v1/requests/${q.body.id}`, alice)).body.state,
    'approval',
    'nothing runs without the approval',
  );
  const own = await server.api<{ error: { code: string } }>(
    'POST',
    `/api/v1/requests/${q.body.id}/approve`,
    alice,
    {},
  );
  assert.equal(own.body.error.code, 'E_APPROVAL', 'not your own');
  const ok = await server.api<{ approvedBy: string[] }>(
    'POST',
    `/api/v1/requests/${q.body.id}/approve`,
    bob,
    {},
  );
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.body.approvedBy, ['bob-gated']);
  let state = 'queued';
  for (let i = 0; i < 240 && !['succeeded', 'failed', 'rejected', 'cancelled'].includes(state); i++) {
    await new Promise((r) => setTimeout(r, 250));
    state = (await server.api<{ state: string }>('GET', `/api/v1/requests/${q.body.id}`, alice)).body.state;
  }
  assert.equal(state, 'succeeded');
});

test('a secret value the deploy made appears in no answer, event or log line', async () => {
  const admin = await server.token('admin');
  const r = await cli(['deploy', 'ledger:1.0.0', '--env', 'test'], admin);
  assert.equal(r.code, 0, r.stderr);
  const secret = await ns.core.readNamespacedSecret({ name: 'ledger-postgres', namespace: ns.namespace });
  const values = Object.values(secret.data ?? {}).map((b64) => Buffer.from(b64, 'base64').toString('utf8'));
  const password = new URL(values.find((v) => v.startsWith('postgres'))!).password;
  assert.ok(password.length >= 16, 'the provisioned password');
  const answers: string[] = [];
  const paths = [
    '/api/v1/services',
    '/api/v1/services/ledger/environments/test',
    '/api/v1/services/ledger/environments/test/history',
    '/api/v1/releases?service=ledger',
    '/api/v1/requests',
    '/api/v1/audit',
    '/metrics',
  ];
  const list = await server.api<{ releases: { id: number }[] }>(
    'GET',
    '/api/v1/releases?service=ledger',
    admin,
  );
  for (const rel of list.body.releases) paths.push(`/api/v1/releases/ledger/test/${rel.id}`);
  for (const p of paths) answers.push(JSON.stringify((await server.api('GET', p, admin)).body));
  const stream = await readEventsUntilQuiet(admin);
  for (const [what, text] of [
    ['answers', answers.join('\n')],
    ['events', stream],
    ['logs', logLines.join('')],
    ['cli', r.stdout + r.stderr],
  ] as const) {
    assert.ok(!text.includes(password), `the password is in the ${what}`);
    assert.ok(!text.includes(Buffer.from(password).toString('base64')), `its base64 is in the ${what}`);
  }
  assert.ok(logLines.length > 0, 'the server did log');
});

/** Every event from the start, as text, read until the stream has been quiet for a second. */
async function readEventsUntilQuiet(token: string): Promise<string> {
  const ctl = new AbortController();
  const res = await fetch(`${server.url}/api/v1/events?after=0`, {
    headers: { authorization: `Bearer ${token}` },
    signal: ctl.signal,
  });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const timer = new Promise<'quiet'>((r) => setTimeout(() => r('quiet'), 1000));
    const next = await Promise.race([reader.read(), timer]);
    if (next === 'quiet' || next.done) break;
    text += decoder.decode(next.value, { stream: true });
  }
  ctl.abort();
  return text;
}
