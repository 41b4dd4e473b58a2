// Two `ferry server` processes on one PostgreSQL, as a team runs them: they share the queue; 100
// concurrent deploy requests over 20 service/environment pairs all finish, none is lost, and each
// pair runs strictly one at a time; a replica SIGKILLed mid-deploy is taken over by the other
// (the interrupted release is marked, the request runs again, nothing is left running); SIGTERM
// lets a running release end within --grace, then cancels it and exits 0. The first admin token
// comes from `ferry token create` on the store, as an installation gets it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { repoRoot, runFerry } from '../../src/cli/testing.ts';
import { openStore } from '../../src/store/open.ts';
import { testKubeconfigPath, withNamespace, type TestNamespace } from '../kit/cluster.ts';
import { serviceYaml, tempApp, type TestApp } from '../deploy/kit.ts';
import { pgAdminUrl } from './kit.ts';

let app: TestApp;
let ns: TestNamespace;
let done: () => void;
let state: string;
let database: string;
let admin: string;
const children = new Set<ChildProcess>();

const SERVICES = Array.from({ length: 10 }, (_, i) => `s${String(i).padStart(2, '0')}`);

before(async () => {
  ns = await new Promise<TestNamespace>((resolve) => {
    void withNamespace('server-replicas', async (n) => {
      resolve(n);
      await new Promise<void>((r) => (done = r));
    });
  });
  database = `ferry_replicas_${process.pid}_${Date.now() % 100000}`;
  const c = new pg.Client({ connectionString: pgAdminUrl() });
  await c.connect();
  await c.query(`CREATE DATABASE ${database}`);
  await c.end();
  const u = new URL(pgAdminUrl());
  u.pathname = `/${database}`;
  state = u.toString();
  // two environments in one namespace: services s00…s09 in `test`, t00…t09 in `stage`
  app = tempApp(
    ns.namespace,
    '',
    `  stage:\n    namespace: ${ns.namespace}\n    createNamespace: false\n    tls: { disabled: true }\n`,
  );
  for (const s of SERVICES) {
    app.write(s, `${serviceYaml(s, { instances: 1 })}environments: { test: {} }\n`);
    const t = s.replace('s', 't');
    app.write(t, `${serviceYaml(t, { instances: 1 })}environments: { stage: {} }\n`);
  }
  app.write(
    'slow',
    `${serviceYaml('slow', { instances: 1, migration: true })}pod: { annotations: { ferry.dev/ready-delay: 20s } }\nenvironments: { test: {} }\n`,
  );
  const made = await runFerry(['token', 'create', '--name', 'root', '--role', 'admin', '-o', 'json'], {
    FERRY_STATE: state,
  });
  assert.equal(made.code, 0, made.stderr);
  admin = (JSON.parse(made.stdout) as { token: string }).token;
});

after(async () => {
  for (const c of children) c.kill('SIGKILL');
  done?.();
  app?.cleanup();
  const c = new pg.Client({ connectionString: pgAdminUrl() });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await c.end();
});

interface Replica {
  url: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  log: () => string;
}

async function replica(extra: string[] = []): Promise<Replica> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(repoRoot, 'src/cli/main.ts'),
      'server',
      '--listen',
      '127.0.0.1:0',
      '-C',
      app.dir,
      '--kubeconfig',
      testKubeconfigPath(),
      ...extra,
    ],
    {
      cwd: repoRoot,
      env: { ...process.env, FERRY_STATE: state, FERRY_POD_LABELS: 'migration:ferry.dev/fault=slow-ready' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.add(child);
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  void exited.then(() => children.delete(child));
  const url = await new Promise<string>((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (b: Buffer) => {
      err += b.toString();
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`ferry server exited ${code}: ${err}`)));
  });
  return { url, child, exited, log: () => out };
}

async function api<T>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${admin}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as T };
}

interface Req {
  id: number;
  state: string;
  attempt: number;
  release?: { service: string; environment: string; id: number };
}

const FINAL = ['succeeded', 'failed', 'rejected', 'cancelled'];

async function waitFinal(base: string, id: number, ms: number): Promise<Req> {
  const until = Date.now() + ms;
  for (;;) {
    const r = (await api<Req>(base, 'GET', `/api/v1/requests/${id}`)).body;
    if (FINAL.includes(r.state) || Date.now() > until) return r;
    await new Promise((res) => setTimeout(res, 300));
  }
}

test('100 concurrent deploy requests over 20 pairs on two replicas: all finish, none lost, each pair one at a time', async () => {
  const [a, b] = await Promise.all([replica(), replica()]);
  try {
    const pairs = [
      ...SERVICES.map((s) => ({ service: s, environment: 'test' })),
      ...SERVICES.map((s) => ({ service: s.replace('s', 't'), environment: 'stage' })),
    ];
    const bodies = Array.from({ length: 5 }, (_, v) =>
      pairs.map((p) => ({ ...p, version: `1.0.${v}` })),
    ).flat();
    const answers = await Promise.all(
      bodies.map((body, i) => api<Req>(i % 2 === 0 ? a.url : b.url, 'POST', '/api/v1/deploys', body)),
    );
    assert.deepEqual(
      [...new Set(answers.map((x) => x.status))],
      [202],
      'every request is accepted once persisted',
    );
    const ids = answers.map((x) => x.body.id);
    assert.equal(new Set(ids).size, 100);
    const ended = await Promise.all(ids.map((id) => waitFinal(a.url, id, 600_000)));
    assert.deepEqual(
      ended.filter((r) => r.state !== 'succeeded').map((r) => `${r.id}: ${r.state}`),
      [],
      'all succeeded',
    );
    // each pair: five releases whose run times never overlap
    const store = await openStore(state);
    try {
      for (const p of pairs) {
        const rs = await store.history(p.service, p.environment, { limit: 10 });
        assert.equal(rs.length, 5, `${p.service}/${p.environment}: five releases`);
        const spans = rs
          .map((r) => [r.startedAt, r.endedAt ?? Infinity] as const)
          .sort((x, y) => x[0] - y[0]);
        for (let i = 1; i < spans.length; i++)
          assert.ok(spans[i]![0] >= spans[i - 1]![1], `${p.service}/${p.environment}: releases overlap`);
      }
    } finally {
      await store.close();
    }
  } finally {
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    assert.deepEqual(await Promise.all([a.exited, b.exited]), [0, 0]);
  }
});

test('SIGKILL one replica mid-deploy: the other takes the request over, marks the release interrupted, and finishes it', async () => {
  const a = await replica();
  const first = await api<Req>(a.url, 'POST', '/api/v1/deploys', {
    service: 'slow',
    environment: 'test',
    version: '1.0.0',
  });
  assert.equal((await waitFinal(a.url, first.body.id, 180_000)).state, 'succeeded');
  const q = await api<Req>(a.url, 'POST', '/api/v1/deploys', {
    service: 'slow',
    environment: 'test',
    version: '2.0.0',
  });
  // wait for its release to exist on replica a, then start b and kill a
  let r = q.body;
  for (let i = 0; i < 200 && !r.release; i++) {
    await new Promise((res) => setTimeout(res, 200));
    r = (await api<Req>(a.url, 'GET', `/api/v1/requests/${q.body.id}`)).body;
  }
  assert.ok(r.release, 'the release started on replica a');
  const b = await replica();
  try {
    a.child.kill('SIGKILL');
    await a.exited;
    const end = await waitFinal(b.url, q.body.id, 300_000);
    assert.equal(end.state, 'succeeded');
    assert.equal(end.attempt, 2, 'run again from the start by replica b');
    assert.notEqual(end.release!.id, r.release.id, 'a new release');
    const store = await openStore(state);
    try {
      const old = await store.release(r.release);
      assert.equal(old.outcome, 'interrupted', "the killed replica's release is marked");
      const running = (await store.history('slow', 'test', { limit: 10 })).filter(
        (x) => x.outcome === 'running',
      );
      assert.deepEqual(running, [], 'nothing left running');
    } finally {
      await store.close();
    }
    const d = await ns.apps.readNamespacedDeployment({ name: 'slow', namespace: ns.namespace });
    assert.equal(d.spec?.template.spec?.containers[0]?.image, 'registry.example.com/test/slow:2.0.0');
  } finally {
    b.child.kill('SIGTERM');
    assert.equal(await b.exited, 0);
  }
});

test('SIGTERM with --grace: a release still running after the grace is cancelled and reverted; the process exits 0', async () => {
  const a = await replica(['--grace', '2s']);
  const q = await api<Req>(a.url, 'POST', '/api/v1/deploys', {
    service: 'slow',
    environment: 'test',
    version: '3.0.0',
  });
  let r = q.body;
  for (let i = 0; i < 200 && !r.release; i++) {
    await new Promise((res) => setTimeout(res, 200));
    r = (await api<Req>(a.url, 'GET', `/api/v1/requests/${q.body.id}`)).body;
  }
  assert.ok(r.release);
  a.child.kill('SIGTERM');
  assert.equal(await a.exited, 0);
  const store = await openStore(state);
  try {
    const rel = await store.release(r.release);
    assert.equal(rel.outcome, 'cancelled');
    const req = await store.server().getRequest(q.body.id);
    assert.equal(req?.state, 'cancelled');
  } finally {
    await store.close();
  }
  const d = await ns.apps.readNamespacedDeployment({ name: 'slow', namespace: ns.namespace });
  assert.equal(
    d.spec?.template.spec?.containers[0]?.image,
    'registry.example.com/test/slow:2.0.0',
    'reverted',
  );
});
