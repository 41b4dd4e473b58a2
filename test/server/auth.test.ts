// Every route's auth, from the OpenAPI document the server serves (so a new route cannot forget
// it): every route but the probes answers 401 without a token or with a bad one; every route
// above viewer answers 403 to a viewer; every environment-scoped route answers 403 to a deployer
// of another environment and to a deployer without the protected environment; and the right
// role gets past auth (the answer is then the route's own). Real HTTP on loopback, real SQLite,
// the real cluster.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withNamespace } from '../kit/cluster.ts';
import { sqliteState, testServer, type TestServer } from './kit.ts';

let dir: string;
let server: TestServer;
let release: () => void;
const ns = new Promise<string>((resolve) => {
  void withNamespace('server-auth', async ({ namespace }) => {
    resolve(namespace);
    await new Promise<void>((r) => (release = r));
  });
});

before(async () => {
  const namespace = await ns;
  dir = mkdtempSync(join(tmpdir(), 'ferry-server-auth-'));
  writeFileSync(
    join(dir, 'ferry.platform.yaml'),
    `services: ['services/*']
environments:
  test: { namespace: ${namespace}, createNamespace: false, tls: { disabled: true } }
  prod: { namespace: ${namespace}-prod, createNamespace: false, tls: { disabled: true }, protected: true }
`,
  );
  mkdirSync(join(dir, 'services', 'web'), { recursive: true });
  writeFileSync(
    join(dir, 'services', 'web', 'ferry.yaml'),
    'service: web\nimage: r.example.com/web\nport: 8080\n',
  );
  server = await testServer({ dir, state: sqliteState(dir), settings: { workers: 0 } });
});

after(async () => {
  await server?.stop(1000);
  release?.();
  rmSync(dir, { recursive: true, force: true });
});

interface Operation {
  'x-ferry-access': { kind: string; role?: string; environment?: string };
  requestBody?: unknown;
}

/** A valid body and path for each operation, so only auth decides the answer. */
function call(path: string, method: string, env: string): { path: string; body: unknown } {
  const p = path
    .replace('{service}', 'web')
    .replace('{environment}', env)
    .replace('{provider}', 'dockerhub')
    .replace('{id}', path.startsWith('/api/v1/tokens') ? 'fry_nothere' : '1');
  const bodies: Record<string, unknown> = {
    'POST /api/v1/deploys': { service: 'web', environment: env, version: '1.0.0', confirm: true },
    'POST /api/v1/rollbacks': { service: 'web', environment: env, confirm: true },
    'POST /api/v1/deploy-batches': {
      environment: env,
      targets: [{ service: 'web', version: '1.0.0' }],
      confirm: true,
    },
    'POST /api/v1/tokens': { name: 'made-by-test', role: 'viewer' },
    'POST /api/v1/autodeploy/resume': { service: 'web', environment: env },
  };
  return { path: p, body: method === 'GET' ? undefined : (bodies[`${method} ${path}`] ?? {}) };
}

test('the OpenAPI document describes every route with its access; each is enforced', async () => {
  const admin = await server.token('admin');
  const viewer = await server.token('viewer');
  const deployerTest = await server.token('deployer', ['test']);
  const deployerAny = await server.token('deployer');
  const deployerProd = await server.token('deployer', ['prod']);
  // a request in each environment, for the routes scoped by a request's environment
  const queued = await server.api<{ id: number }>('POST', '/api/v1/deploys', admin, {
    service: 'web',
    environment: 'prod',
    version: '1.0.0',
    confirm: true,
  });
  assert.equal(queued.status, 202, JSON.stringify(queued.body));
  const doc = (
    await server.api<{ paths: Record<string, Record<string, Operation>> }>(
      'GET',
      '/api/v1/openapi.json',
      viewer,
    )
  ).body;
  assert.equal((await server.api('GET', '/api/v1/openapi.json', undefined)).status, 401);
  let checked = 0;
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(ops)) {
      const method = m.toUpperCase();
      const access = op['x-ferry-access'];
      assert.ok(access, `${method} ${path} says who may call it`);
      // webhooks check their own signature: test/server/previews-webhook.test.ts
      if (access.kind === 'public' || access.kind === 'signature') continue;
      if (path === '/api/v1/events') continue; // a stream: checked in events.test.ts
      const { path: p, body } = call(path, method, 'prod');
      const label = `${method} ${path}`;
      assert.equal((await server.api(method, p, undefined, body)).status, 401, `${label} without a token`);
      assert.equal(
        (await server.api(method, p, 'fry_notatoken', body)).status,
        401,
        `${label} with a malformed token`,
      );
      // a webhook checks its own token or signature: no ferry token of any role opens it
      if (access.kind === 'signature') {
        assert.equal((await server.api(method, p, admin, body)).status, 401, `${label} with a ferry token`);
        checked++;
        continue;
      }
      const need = access.role ?? 'viewer';
      if (need !== 'viewer')
        assert.equal((await server.api(method, p, viewer, body)).status, 403, `${label} as a viewer`);
      if (need === 'admin')
        assert.equal((await server.api(method, p, deployerAny, body)).status, 403, `${label} as a deployer`);
      if (need === 'deployer' && access.environment) {
        assert.equal(
          (await server.api(method, p, deployerTest, body)).status,
          403,
          `${label} as a deployer of test in prod`,
        );
        assert.equal(
          (await server.api(method, p, deployerAny, body)).status,
          403,
          `${label} as a deployer of every unprotected environment in protected prod`,
        );
        const ok = await server.api(method, p, deployerProd, body);
        assert.ok(
          ok.status !== 401 && ok.status !== 403,
          `${label} as a deployer of prod: ${ok.status} ${JSON.stringify(ok.body)}`,
        );
      }
      const right = need === 'admin' ? admin : need === 'deployer' ? deployerProd : viewer;
      const ok = await server.api(method, p, right, body);
      assert.ok(
        ok.status !== 401 && ok.status !== 403,
        `${label} with the ${need} role: ${ok.status} ${JSON.stringify(ok.body)}`,
      );
      checked++;
    }
  }
  assert.ok(checked >= 12, `checked ${checked} routes`);
});

test('a revoked or expired token is 401; the audit records who did what from where, with the result', async () => {
  const admin = await server.token('admin', [], 'root');
  const made = await server.api<{ token: string; id: string }>('POST', '/api/v1/tokens', admin, {
    name: 'ci',
    role: 'deployer',
    environments: ['test'],
    expiresInSeconds: 3600,
  });
  assert.equal(made.status, 201);
  assert.match(made.body.token, /^fry_[0-9A-Za-z]{36}$/);
  const list = await server.api<{ tokens: { id: string; name: string; hash?: string }[] }>(
    'GET',
    '/api/v1/tokens',
    admin,
  );
  assert.ok(list.body.tokens.some((t) => t.id === made.body.id && t.name === 'ci'));
  assert.ok(!JSON.stringify(list.body).includes(made.body.token), 'a token is shown once, never listed');
  assert.ok(
    list.body.tokens.every((t) => t.hash === undefined),
    'never its hash either',
  );
  assert.equal((await server.api('GET', '/api/v1/releases', made.body.token)).status, 200);
  assert.equal((await server.api('DELETE', `/api/v1/tokens/${made.body.id}`, admin)).status, 200);
  const revoked = await server.api<{ error: { code: string; message: string } }>(
    'GET',
    '/api/v1/releases',
    made.body.token,
  );
  assert.equal(revoked.status, 401);
  assert.match(revoked.body.error.message, /revoked/);
  const audit = await server.api<{
    entries: { actor: string; action: string; result: string; source: string; token: string }[];
  }>('GET', '/api/v1/audit', admin);
  const revoke = audit.body.entries.find((e) => e.action === 'DELETE /api/v1/tokens/{id}');
  assert.equal(revoke?.actor, 'root');
  assert.equal(revoke?.result, '200');
  assert.match(revoke?.source ?? '', /127\.0\.0\.1/);
  assert.ok(audit.body.entries.some((e) => e.action === 'POST /api/v1/tokens' && e.result === '201'));
  assert.ok(!JSON.stringify(audit.body).includes(made.body.token), 'the audit holds no token');
});

test('bad input: 400 naming the field, 404 with did-you-mean, unknown routes 404, oversized bodies 400', async () => {
  const admin = await server.token('admin');
  const missing = await server.api<{ error: { code: string; issues: { path: string }[] } }>(
    'POST',
    '/api/v1/deploys',
    admin,
    {
      service: 'web',
      environment: 'test',
    },
  );
  assert.equal(missing.status, 400);
  assert.deepEqual(
    missing.body.error.issues.map((i) => i.path),
    ['body.version'],
  );
  const notJson = await server.api<{ error: { code: string } }>(
    'POST',
    '/api/v1/deploys',
    admin,
    '{not json',
  );
  assert.equal(notJson.status, 400);
  const unknown = await server.api<{ error: { code: string; hint: string } }>(
    'POST',
    '/api/v1/deploys',
    admin,
    {
      service: 'wbe',
      environment: 'test',
      version: '1.0.0',
    },
  );
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.code, 'E_UNKNOWN_SERVICE');
  assert.match(unknown.body.error.hint, /did you mean "web"/);
  const protectedEnv = await server.api<{ error: { code: string } }>('POST', '/api/v1/deploys', admin, {
    service: 'web',
    environment: 'prod',
    version: '1.0.0',
  });
  assert.equal(protectedEnv.status, 400);
  assert.equal(protectedEnv.body.error.code, 'E_PROTECTED');
  assert.equal((await server.api('GET', '/api/v1/nothing', admin)).status, 404);
  const big = await server.api<{ error: { code: string } }>('POST', '/api/v1/deploys', admin, {
    service: 'web',
    environment: 'test',
    version: '1.0.0',
    ref: 'x'.repeat(2_000_000),
  });
  assert.equal(big.status, 400);
  assert.equal(big.body.error.code, 'E_TOO_LARGE');
  for (const r of [missing, notJson, unknown, protectedEnv, big])
    assert.doesNotMatch(JSON.stringify(r.body), /\n\s+at /);
});
