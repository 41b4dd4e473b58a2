// Auto-deploy on image push and promote, end to end: the registries' documented payloads over
// real HTTP to the real server (SQLite store, the test cluster), a local HTTP server speaking
// the Registry v2 API for tags without digests. What a push deploys is what the cluster runs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withNamespace, type TestNamespace } from '../kit/cluster.ts';
import { githubSignature } from '../../src/server/webhooks/signature.ts';
import {
  distributionEnvelope,
  dockerhubPush,
  ghcrPackage,
  harborPush,
  startLocalRegistry,
  type LocalRegistry,
} from '../../src/server/webhooks/registry/testing.ts';
import { sqliteState, testServer, type TestServer } from './kit.ts';

const TOKEN = 'hook-token-1';
const SECRET = 'ghcr-secret-1';
const D1 = `sha256:${'1a'.repeat(32)}`;
const D2 = `sha256:${'2b'.repeat(32)}`;
const D3 = `sha256:${'3c'.repeat(32)}`;

let dir: string;
let server: TestServer;
let registry: LocalRegistry;
let k: TestNamespace;
let admin: string;
let admin2: string;
let release: () => void;
const ns = new Promise<TestNamespace>((resolve) => {
  void withNamespace('autodeploy', async (n) => {
    resolve(n);
    await new Promise<void>((r) => (release = r));
  });
});
const prodNs = new Promise<TestNamespace>((resolve) => {
  void withNamespace('autodeploy-prod', async (n) => {
    resolve(n);
    await new Promise<void>((r) => (releaseProd = r));
  });
});
let releaseProd: () => void;

interface Decision {
  service: string;
  environment: string;
  deploy: boolean;
  version?: string;
  why: string;
  request?: number;
}
interface Answer {
  duplicate: boolean;
  decisions: Decision[];
}
interface RequestView {
  id: number;
  state: string;
  message: string;
  kind: string;
  payload: Record<string, unknown>;
  release?: { service: string; environment: string; id: number };
}

before(async () => {
  k = await ns;
  const prod = await prodNs;
  registry = await startLocalRegistry();
  Object.assign(process.env, {
    FERRY_REGISTRY_WEBHOOK_TOKEN: TOKEN,
    FERRY_GHCR_WEBHOOK_SECRET: SECRET,
    FERRY_REGISTRY_API_URL: registry.url,
    FERRY_REGISTRY_USERNAME: 'ci',
    FERRY_REGISTRY_PASSWORD: 'secret',
  });
  dir = mkdtempSync(join(tmpdir(), 'ferry-autodeploy-'));
  writeFileSync(
    join(dir, 'ferry.platform.yaml'),
    `services: ['services/*']
environments:
  stage: { namespace: ${k.namespace}, createNamespace: false, tls: { disabled: true }, autoDeploy: minor }
  prod: { namespace: ${prod.namespace}, createNamespace: false, tls: { disabled: true }, protected: true, autoDeploy: minor }
`,
  );
  const svc = (name: string, body: string) => {
    mkdirSync(join(dir, 'services', name), { recursive: true });
    writeFileSync(join(dir, 'services', name, 'ferry.yaml'), `service: ${name}\n${body}`);
  };
  svc('web', 'image: registry.example.com/acme/web\nport: 8080\n');
  svc('worker', 'image: acme/worker\nautoDeploy: force\nenvironments:\n  stage:\n');
  svc('api', 'image: ghcr.io/acme/api\nport: 8080\nautoDeploy: patch\nenvironments:\n  stage:\n');
  server = await testServer({ dir, state: sqliteState(dir), settings: { workers: 2, claimTtlMs: 5_000 } });
  admin = await server.token('admin', [], 'alice');
  admin2 = await server.token('admin', [], 'bob');
});

after(async () => {
  await server?.stop(5000);
  await registry?.close();
  release?.();
  releaseProd?.();
  rmSync(dir, { recursive: true, force: true });
});

async function hook(
  provider: string,
  body: unknown,
  opts: { token?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Answer & { error?: { code: string } } }> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const token = opts.token ?? TOKEN;
  const res = await fetch(
    `${server.url}/webhooks/registry/${provider}${provider === 'dockerhub' || provider === 'quay' ? `?token=${token}` : ''}`,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(provider === 'distribution' || provider === 'harbor' ? { authorization: `Bearer ${token}` } : {}),
        ...opts.headers,
      },
      body: text,
    },
  );
  return { status: res.status, body: (await res.json()) as never };
}

function ghcr(body: unknown, delivery: string, secret = SECRET) {
  const text = JSON.stringify(body);
  return hook('ghcr', text, {
    headers: {
      'x-github-event': 'package',
      'x-github-delivery': delivery,
      'x-hub-signature-256': githubSignature(secret, text),
    },
  });
}

async function settled(id: number): Promise<RequestView> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const r = (await server.api<RequestView>('GET', `/api/v1/requests/${id}`, admin)).body;
    if (['succeeded', 'failed', 'cancelled', 'rejected'].includes(r.state)) return r;
    if (Date.now() > deadline) throw new Error(`request ${id} still ${r.state}`);
    await new Promise((res) => setTimeout(res, 250));
  }
}

async function deployByHand(service: string, environment: string, version: string): Promise<void> {
  const q = await server.api<RequestView>('POST', '/api/v1/deploys', admin, {
    service,
    environment,
    version,
    confirm: true,
  });
  assert.equal(q.status, 202, JSON.stringify(q.body));
  const r = await settled(q.body.id);
  assert.equal(r.state, 'succeeded', r.message);
}

async function image(namespace: string, name: string): Promise<string | undefined> {
  const d = await k.apps.readNamespacedDeployment({ name, namespace });
  return d.spec?.template.spec?.containers[0]?.image;
}

const only = (a: Answer, environment: string, service = 'web') =>
  a.decisions.find((d) => d.environment === environment && d.service === service);

test('minor policy: a minor push deploys, a major one does not; a replay does nothing; forged hooks are refused', async () => {
  await deployByHand('web', 'stage', '1.2.0');
  const minor = distributionEnvelope({
    repository: 'acme/web',
    tag: '1.3.0',
    digest: D1,
    host: 'registry.example.com',
  });
  const a = await hook('distribution', minor);
  assert.equal(a.status, 202, JSON.stringify(a.body));
  const d = only(a.body, 'stage');
  assert.equal(d?.deploy, true, d?.why);
  assert.equal(d?.version, '1.3.0');
  // prod runs nothing yet: the first deploy there is a person's
  assert.equal(only(a.body, 'prod')?.deploy, false);
  const r = await settled(d!.request!);
  assert.equal(r.state, 'succeeded', r.message);
  assert.equal(await image(k.namespace, 'web'), 'registry.example.com/acme/web:1.3.0');

  // the same delivery again: answered, nothing queued
  const again = await hook('distribution', minor);
  assert.equal(again.status, 200);
  assert.equal(again.body.duplicate, true);
  const reqs = (
    await server.api<{ requests: RequestView[] }>(
      'GET',
      '/api/v1/requests?service=web&environment=stage',
      admin,
    )
  ).body;
  assert.equal(reqs.requests.length, 2, 'the deploy by hand and one auto-deploy');

  const major = await hook(
    'harbor',
    harborPush({ repository: 'acme/web', tag: '2.0.0', digest: D2, host: 'registry.example.com' }),
  );
  assert.equal(major.status, 202);
  assert.equal(only(major.body, 'stage')?.deploy, false);
  assert.match(only(major.body, 'stage')?.why ?? '', /new major/);

  const forged = await hook(
    'distribution',
    distributionEnvelope({ repository: 'acme/web', tag: '1.4.0', digest: D1, host: 'registry.example.com' }),
    { token: 'wrong' },
  );
  assert.equal(forged.status, 401);
  const forgedGhcr = await ghcr(
    ghcrPackage({ repository: 'acme/api', tag: '1.0.1', digest: D1 }),
    'g-forged',
    'not-the-secret',
  );
  assert.equal(forgedGhcr.status, 401);
  assert.equal(await image(k.namespace, 'web'), 'registry.example.com/acme/web:1.3.0');
});

test('rollback pauses auto-deploy; the next push does not deploy; a newer version than the bad one resumes', async () => {
  const rb = await server.api<RequestView>('POST', '/api/v1/rollbacks', admin, {
    service: 'web',
    environment: 'stage',
  });
  assert.equal(rb.status, 202);
  assert.equal((await settled(rb.body.id)).state, 'succeeded');
  const st = (
    await server.api<{ autodeploy: { paused?: { badVersion: string; reason: string } }[] }>(
      'GET',
      '/api/v1/autodeploy?service=web&environment=stage',
      admin,
    )
  ).body;
  assert.equal(st.autodeploy[0]?.paused?.badVersion, '1.3.0');
  assert.match(st.autodeploy[0]?.paused?.reason ?? '', /rolled back from 1\.3\.0 by alice/);

  const older = await hook(
    'distribution',
    distributionEnvelope({ repository: 'acme/web', tag: '1.2.5', digest: D1, host: 'registry.example.com' }),
  );
  assert.equal(only(older.body, 'stage')?.deploy, false);
  assert.match(only(older.body, 'stage')?.why ?? '', /paused/);
  const same = await hook(
    'distribution',
    distributionEnvelope({ repository: 'acme/web', tag: '1.3.0', digest: D1, host: 'registry.example.com' }),
  );
  assert.equal(only(same.body, 'stage')?.deploy, false);
  assert.equal(await image(k.namespace, 'web'), 'registry.example.com/acme/web:1.2.0');

  const newer = await hook(
    'distribution',
    distributionEnvelope({ repository: 'acme/web', tag: '1.3.1', digest: D1, host: 'registry.example.com' }),
  );
  const d = only(newer.body, 'stage');
  assert.equal(d?.deploy, true, d?.why);
  assert.equal((await settled(d!.request!)).state, 'succeeded');
  assert.equal(await image(k.namespace, 'web'), 'registry.example.com/acme/web:1.3.1');
  const after = (
    await server.api<{ autodeploy: { paused?: unknown }[] }>(
      'GET',
      '/api/v1/autodeploy?service=web&environment=stage',
      admin,
    )
  ).body;
  assert.equal(after.autodeploy[0]?.paused, undefined);
});

test('resume lifts a pause through the API', async () => {
  const rb = await server.api<RequestView>('POST', '/api/v1/rollbacks', admin, {
    service: 'web',
    environment: 'stage',
  });
  assert.equal((await settled(rb.body.id)).state, 'succeeded');
  const r = await server.api<{ resumed: boolean; status: { paused?: unknown } }>(
    'POST',
    '/api/v1/autodeploy/resume',
    admin,
    { service: 'web', environment: 'stage' },
  );
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.resumed, true);
  assert.equal(r.body.status.paused, undefined);
  // resumed: a push newer than what runs (1.3.0 again was rolled back from, but it is no longer paused)
  const p = await hook(
    'distribution',
    distributionEnvelope({ repository: 'acme/web', tag: '1.3.2', digest: D1, host: 'registry.example.com' }),
  );
  const d = only(p.body, 'stage');
  assert.equal(d?.deploy, true, d?.why);
  assert.equal((await settled(d!.request!)).state, 'succeeded');
});

test('force: the same tag pushed again deploys by digest, resolved through the registry API when the payload has none', async () => {
  registry.tags.set('acme/worker:dev', D1);
  await deployByHand('worker', 'stage', 'dev');
  const first = await hook('dockerhub', dockerhubPush({ repository: 'acme/worker', tag: 'dev' }));
  assert.equal(first.status, 202, JSON.stringify(first.body));
  const d = only(first.body, 'stage', 'worker');
  assert.equal(d?.version, `dev@${D1}`, d?.why);
  assert.equal((await settled(d!.request!)).state, 'succeeded');
  assert.equal(
    await image(k.namespace, 'worker'),
    `docker.io/acme/worker:dev@${D1}`.replace('docker.io/', ''),
  );
  assert.ok(registry.seen.some((s) => s.method === 'HEAD' && s.path === 'acme/worker:dev'));

  // pushed again, same digest: nothing; a new digest: deployed by it
  const same = await hook('dockerhub', {
    ...dockerhubPush({ repository: 'acme/worker', tag: 'dev' }),
    push_data: { tag: 'dev', pushed_at: 1417566999, pusher: 'ci' },
  });
  assert.equal(only(same.body, 'stage', 'worker')?.deploy, false);
  registry.tags.set('acme/worker:dev', D2);
  const moved = await hook('dockerhub', {
    ...dockerhubPush({ repository: 'acme/worker', tag: 'dev' }),
    push_data: { tag: 'dev', pushed_at: 1417567999, pusher: 'ci' },
  });
  const m = only(moved.body, 'stage', 'worker');
  assert.equal(m?.version, `dev@${D2}`, m?.why);
  assert.equal((await settled(m!.request!)).state, 'succeeded');
  assert.equal(await image(k.namespace, 'worker'), `acme/worker:dev@${D2}`);
});

test('a multi-arch push (an event per manifest) is one deploy', async () => {
  await deployByHand('api', 'stage', '1.0.0');
  const answers = await Promise.all([
    ghcr(ghcrPackage({ repository: 'acme/api', tag: '1.0.1', digest: D1 }), 'g-1'),
    ghcr(ghcrPackage({ repository: 'acme/api', tag: '1.0.1', digest: D2 }), 'g-2'),
    ghcr(ghcrPackage({ repository: 'acme/api', tag: '1.0.1', digest: D3 }), 'g-3'),
  ]);
  for (const a of answers) assert.equal(a.status, 202, JSON.stringify(a.body));
  const requests = new Set(
    answers.map((a) => only(a.body, 'stage', 'api')?.request).filter((x) => x !== undefined),
  );
  assert.equal(requests.size, 1, JSON.stringify(answers.map((a) => a.body.decisions)));
  assert.equal((await settled([...requests][0]!)).state, 'succeeded');
  const all = (
    await server.api<{ requests: RequestView[] }>(
      'GET',
      '/api/v1/requests?service=api&environment=stage',
      admin,
    )
  ).body;
  assert.equal(all.requests.length, 2, 'the deploy by hand and one auto-deploy');
});

test('a protected environment queues the auto-deploy for approval', async () => {
  await deployByHand('web', 'prod', '1.2.0');
  const a = await hook(
    'distribution',
    distributionEnvelope({ repository: 'acme/web', tag: '1.4.0', digest: D1, host: 'registry.example.com' }),
  );
  const d = only(a.body, 'prod');
  assert.equal(d?.deploy, true, d?.why);
  const q = (await server.api<RequestView>('GET', `/api/v1/requests/${d!.request}`, admin)).body;
  assert.equal(q.state, 'approval');
  const ok = await server.api<RequestView>('POST', `/api/v1/requests/${d!.request}/approve`, admin);
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal((await settled(d!.request!)).state, 'succeeded');
  // the stage deploy of the same push
  const s = only(a.body, 'stage');
  if (s?.request) await settled(s.request);
});

test('promote stage → prod: the exact version of the last successful stage release, as kind promote, after approval', async () => {
  const stage = (
    await server.api<{ releases: { id: number; version: string; outcome: string }[] }>(
      'GET',
      '/api/v1/releases?service=web&environment=stage',
      admin,
    )
  ).body.releases.find((r) => r.outcome === 'succeeded')!;
  const p = await server.api<{ requests: RequestView[] }>('POST', '/api/v1/promotions', admin, {
    services: ['web'],
    from: 'stage',
    to: 'prod',
  });
  assert.equal(p.status, 202, JSON.stringify(p.body));
  const q = p.body.requests[0]!;
  assert.equal(q.kind, 'promote');
  assert.equal(q.state, 'approval');
  assert.equal(q.payload.version, stage.version);
  assert.equal((await server.api('POST', `/api/v1/requests/${q.id}/approve`, admin2)).status, 200);
  const r = await settled(q.id);
  assert.equal(r.state, 'succeeded', r.message);
  const rel = (
    await server.api<{
      release: { kind: string; version: string; sourceRelease?: { environment: string; id: number } };
    }>('GET', `/api/v1/releases/web/prod/${r.release!.id}`, admin)
  ).body.release;
  assert.equal(rel.kind, 'promote');
  assert.equal(rel.version, stage.version);
  assert.deepEqual(rel.sourceRelease, { service: 'web', environment: 'stage', id: stage.id });
  assert.equal(
    await image((await prodNs).namespace, 'web'),
    `registry.example.com/acme/web:${stage.version}`,
  );
});

test('promote is refused when the source has no successful release, or its newest failed', async () => {
  const none = await server.api<{ error: { code: string; message: string } }>(
    'POST',
    '/api/v1/promotions',
    admin,
    { services: ['api'], from: 'prod', to: 'stage' },
  );
  assert.equal(none.status, 409, JSON.stringify(none.body));
  assert.equal(none.body.error.code, 'E_PROMOTE_SOURCE');
  assert.match(none.body.error.message, /no successful release in prod/);
  const store = server.ctx.store;
  const r = await store.startRelease({
    service: 'worker',
    environment: 'stage',
    namespace: k.namespace,
    version: 'broken',
    manifestDigest: 'x',
    kind: 'deploy',
    sourceRelease: undefined,
    actor: 'test',
    objects: [],
    migrateDown: undefined,
    verification: { jobs: [], http: [], observeSeconds: 0 },
    source: {},
    startedAt: Date.now(),
  });
  await store.finishRelease(
    { service: 'worker', environment: 'stage', id: r.id },
    'failed',
    'rollout failed',
    Date.now(),
  );
  // worker runs only in stage: promote it from stage to prod is refused by its newest release first
  const failed = await server.api<{ error: { code: string; message: string } }>(
    'POST',
    '/api/v1/promotions',
    admin,
    { services: ['worker'], from: 'stage', to: 'prod' },
  );
  assert.equal(failed.status, 409, JSON.stringify(failed.body));
  assert.equal(failed.body.error.code, 'E_PROMOTE_SOURCE');
  assert.match(failed.body.error.message, /broken\) failed/);
  const q = (
    await server.api<{ requests: RequestView[] }>(
      'GET',
      '/api/v1/requests?service=worker&environment=prod',
      admin,
    )
  ).body;
  assert.equal(q.requests.length, 0, 'nothing queued');
});
