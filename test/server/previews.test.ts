// Pull-request previews end to end: GitHub's signed deliveries over real HTTP to the real server
// (PostgreSQL store), a local HTTP server speaking GitHub's REST wire format, the real test
// cluster, real PostgreSQL for the previews' databases, and `ferry preview` talking to the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { runFerry } from '../../src/cli/testing.ts';
import { githubSettings } from '../../src/server/github/client.ts';
import { deliver, fakeGitHub, pullRequestPayload, type FakeGitHub } from '../kit/github.ts';
import { testCluster, waitFor, withNamespace, type TestCluster } from '../kit/cluster.ts';
import { pgAdminUrl, testServer, type TestServer } from './kit.ts';

const SECRET = `whsec-${randomBytes(8).toString('hex')}`;
const tag = randomBytes(3).toString('hex');
const nsOf = (n: number) => `fp${tag}-${n}`;
const sha = (c: string) => c.repeat(40);

let dir: string;
let server: TestServer;
let gh: FakeGitHub;
let cluster: TestCluster;
let admin: string;
let stage: string;
let stateDb: string;
let release: () => void;
const ns = new Promise<string>((resolve) => {
  void withNamespace('previews', async ({ namespace }) => {
    resolve(namespace);
    await new Promise<void>((r) => (release = r));
  });
});

async function pgQuery<T extends Record<string, unknown>>(sql: string, args: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: pgAdminUrl() });
  await c.connect();
  try {
    return (await c.query(sql, args)).rows as T[];
  } finally {
    await c.end();
  }
}

async function dropPreviewDatabases(): Promise<void> {
  for (const n of [7, 11, 12, 13]) {
    await pgQuery(`DROP DATABASE IF EXISTS web_pr_${n} WITH (FORCE)`);
    await pgQuery(`DROP ROLE IF EXISTS web_pr_${n}`);
  }
}

before(async () => {
  stage = await ns;
  cluster = await testCluster();
  // the environment's ONE wildcard certificate, in the stage namespace
  await cluster.core.createNamespacedSecret({
    namespace: stage,
    body: {
      metadata: {
        name: 'wildcard-stage-tls',
        annotations: { 'cert-manager.io/certificate-name': 'wildcard' },
      },
      type: 'kubernetes.io/tls',
      data: {
        'tls.crt': Buffer.from('CERT').toString('base64'),
        'tls.key': Buffer.from('KEY').toString('base64'),
      },
    },
  });
  // the previews' databases and roles are named by PR number: none left from an earlier run
  await dropPreviewDatabases();
  stateDb = `ferry_previews_${tag}`;
  await pgQuery(`CREATE DATABASE ${stateDb}`);
  const stateUrl = new URL(pgAdminUrl());
  stateUrl.pathname = `/${stateDb}`;
  gh = await fakeGitHub();
  process.env.FERRY_TEST_PREVIEW_PG = pgAdminUrl();
  dir = mkdtempSync(join(tmpdir(), 'ferry-previews-'));
  writeFileSync(
    join(dir, 'ferry.platform.yaml'),
    `services: ['services/*']
environments:
  stage:
    namespace: ${stage}
    createNamespace: false
    domain: stage.preply.test
    tls: { wildcard: wildcard-stage-tls }
    database: { admin: '\${FERRY_TEST_PREVIEW_PG}' }
previews:
  from: stage
  namespace: 'fp${tag}-\${number}'
  domain: 'pr-\${number}.stage.preply.test'
  waitForVersion: false
  maxCount: 2
  overrides: { instances: 1, resources: { memory: 128Mi } }
`,
  );
  for (const [name, extra] of [
    ['web', 'features: { postgres: true }\nroutes: [{ path: /, public: true }]\n'],
    ['api', 'routes: [{ path: /api, public: true }]\n'],
  ] as const) {
    mkdirSync(join(dir, 'services', name), { recursive: true });
    writeFileSync(
      join(dir, 'services', name, 'ferry.yaml'),
      `service: ${name}\nimage: r.example.com/${name}\nport: 8080\ninstances: 3\n${extra}`,
    );
  }
  server = await testServer({
    dir,
    state: stateUrl.toString(),
    settings: {
      workers: 2,
      previewSweepMs: 0,
      previewResyncMs: 0,
      github: githubSettings(
        {},
        { apiUrl: gh.url, token: gh.token, webhookSecret: SECRET, publicUrl: 'https://ferry.preply.test' },
      ),
    },
  });
  admin = await server.token('admin');
});

after(async () => {
  await server?.stop(5000);
  await gh?.close();
  for (const n of [7, 11, 12, 13])
    await cluster?.core.deleteNamespace({ name: nsOf(n) }).catch(() => undefined);
  await pgQuery(`DROP DATABASE IF EXISTS ${stateDb} WITH (FORCE)`).catch(() => undefined);
  await dropPreviewDatabases().catch(() => undefined);
  release?.();
  rmSync(dir, { recursive: true, force: true });
});

interface Req {
  id: number;
  state: string;
  message: string;
}

async function finished(id: number): Promise<Req> {
  return waitFor(
    `request ${id} to end`,
    async () => {
      const r = await server.api<Req>('GET', `/api/v1/requests/${id}`, admin);
      return ['succeeded', 'failed', 'rejected', 'cancelled'].includes(r.body.state) ? r.body : undefined;
    },
    120_000,
  );
}

async function pr(
  action: string,
  n: number,
  c: string,
  extra: Partial<Parameters<typeof pullRequestPayload>[0]> = {},
) {
  const d = await deliver(
    server.url,
    SECRET,
    'pull_request',
    pullRequestPayload({ action, number: n, sha: sha(c), ...extra }),
  );
  return d;
}

const namespaceOf = (name: string) => cluster.core.readNamespace({ name }).catch(() => undefined);

test('a forged or missing signature is 401; ping answers; a replayed delivery does nothing', async () => {
  const payload = { zen: 'Keep it logically awesome.', hook_id: 4242, hook: { events: ['pull_request'] } };
  const forged = await deliver(server.url, SECRET, 'ping', payload, {
    signature: `sha256=${'0'.repeat(64)}`,
  });
  assert.equal(forged.status, 401);
  assert.equal((forged.body.error as { code: string }).code, 'E_SIGNATURE');
  const other = await deliver(
    server.url,
    'not-the-secret',
    'pull_request',
    pullRequestPayload({ action: 'opened', number: 99, sha: sha('9') }),
  );
  assert.equal(other.status, 401);
  const ping = await deliver(server.url, SECRET, 'ping', payload);
  assert.equal(ping.status, 200);
  assert.equal(ping.body.zen, 'Keep it logically awesome.');
  const again = await deliver(server.url, SECRET, 'ping', payload, { delivery: ping.delivery });
  assert.deepEqual(again.body, { duplicate: true });
  const requests = await server.api<{ requests: { environment: string }[] }>(
    'GET',
    '/api/v1/requests?environment=pr-99',
    admin,
  );
  assert.equal(requests.body.requests.length, 0, 'a forged delivery queued nothing');
});

test('opened → namespace, services Ready, database, comment, statuses; synchronize edits the same comment; GitHub failing during a resync deletes nothing; closed removes everything', async () => {
  const opened = await pr('opened', 7, 'a');
  assert.equal(opened.status, 202, JSON.stringify(opened.body));
  const r1 = await finished(opened.body.queued as number);
  assert.equal(r1.state, 'succeeded', r1.message);

  const live = await namespaceOf(nsOf(7));
  assert.equal(
    live?.metadata?.labels?.['ferry.dev/preview'],
    '7',
    'ferry created and labelled the namespace',
  );
  for (const s of ['web', 'api']) {
    const d = await cluster.apps.readNamespacedDeployment({ name: s, namespace: nsOf(7) });
    assert.equal(d.spec?.replicas, 1, `${s}: one instance in a preview`);
    assert.equal(d.status?.readyReplicas, 1, `${s} Ready`);
    assert.equal(d.spec?.template.spec?.containers[0]?.resources?.limits?.memory, '128Mi');
  }
  const tls = await cluster.core.readNamespacedSecret({ name: 'wildcard-stage-tls', namespace: nsOf(7) });
  assert.equal(
    Buffer.from(tls.data?.['tls.crt'] ?? '', 'base64').toString(),
    'CERT',
    'the wildcard Secret is copied',
  );
  assert.equal(tls.metadata?.annotations?.['cert-manager.io/certificate-name'], undefined);
  assert.equal(
    (await pgQuery("SELECT 1 FROM pg_database WHERE datname = 'web_pr_7'")).length,
    1,
    'its own database',
  );

  const comments = [...gh.comments.entries()].filter(([, c]) => c.issue === 7);
  assert.equal(comments.length, 1);
  const [commentId, comment] = comments[0]!;
  assert.match(comment.body, /✅ ready/);
  assert.match(comment.body, /https:\/\/web\.pr-7\.stage\.preply\.test/);
  assert.match(comment.body, /https:\/\/api\.pr-7\.stage\.preply\.test\/api/);
  const statuses = gh.statuses.filter((s) => s.sha === sha('a'));
  assert.deepEqual(
    statuses.map((s) => s.state),
    ['pending', 'success'],
  );
  assert.ok(statuses.every((s) => s.context === 'ferry/preview' && s.description.length <= 140));
  const deployments = [...gh.deployments.values()].filter((d) => d.environment === 'pr-7');
  assert.equal(deployments.length, 1);
  assert.deepEqual(
    deployments[0]!.statuses.map((s) => s.state),
    ['in_progress', 'success'],
  );
  assert.equal(deployments[0]!.statuses[1]!.environment_url, 'https://api.pr-7.stage.preply.test/api');
  const createDeployment = gh.calls.find((c) => c.method === 'POST' && c.path.endsWith('/deployments'));
  assert.equal(createDeployment?.body?.transient_environment, true);
  assert.equal(createDeployment?.body?.auto_merge, false);
  assert.ok(gh.calls.every((c) => c.authorization === `Bearer ${gh.token}`));

  // a replayed delivery: answered, nothing deployed again
  const releasesBefore = await server.api<{ releases: unknown[] }>(
    'GET',
    '/api/v1/releases?environment=pr-7',
    admin,
  );
  const replay = await deliver(
    server.url,
    SECRET,
    'pull_request',
    pullRequestPayload({ action: 'opened', number: 7, sha: sha('a') }),
    {
      delivery: opened.delivery,
    },
  );
  assert.deepEqual(replay.body, { duplicate: true });
  const releasesAfter = await server.api<{ releases: unknown[] }>(
    'GET',
    '/api/v1/releases?environment=pr-7',
    admin,
  );
  assert.equal(releasesAfter.body.releases.length, releasesBefore.body.releases.length);
  assert.equal(releasesBefore.body.releases.length, 2);

  // synchronize: the new head deploys; the same comment is edited
  const sync = await pr('synchronize', 7, 'b');
  assert.equal((await finished(sync.body.queued as number)).state, 'succeeded');
  const web = await cluster.apps.readNamespacedDeployment({ name: 'web', namespace: nsOf(7) });
  assert.equal(web.spec?.template.spec?.containers[0]?.image, `r.example.com/web:sha-${'b'.repeat(7)}`);
  assert.equal([...gh.comments.values()].filter((c) => c.issue === 7).length, 1, 'still one comment');
  assert.match(gh.comments.get(commentId)!.body, /commit bbbbbbb/);
  assert.ok(gh.calls.some((c) => c.method === 'PATCH' && c.path.endsWith(`/issues/comments/${commentId}`)));
  assert.equal(
    gh.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/issues/7/comments')).length,
    1,
  );

  // a resync while GitHub fails or answers nothing: nothing is deleted
  for (const mode of ['error500', 'html', 'empty'] as const) {
    gh.pulls.mode = mode;
    const r = await server.api<{ listed: number; errors: string[]; queued: number[] }>(
      'POST',
      '/api/v1/previews/resync',
      admin,
      {},
    );
    assert.equal(r.status, 200);
    assert.equal(r.body.errors.length, mode === 'empty' ? 0 : 1, `${mode}: ${JSON.stringify(r.body)}`);
    assert.deepEqual(r.body.queued, []);
  }
  const queuedTeardowns = await server.api<{ requests: { payload: { op: string } }[] }>(
    'GET',
    '/api/v1/requests?environment=pr-7',
    admin,
  );
  assert.equal(queuedTeardowns.body.requests.filter((q) => q.payload.op === 'teardown').length, 0);
  assert.equal((await server.api('GET', '/api/v1/previews/7', admin)).status, 200);
  assert.ok(await namespaceOf(nsOf(7)), 'the namespace is still there');
  assert.equal(
    (await cluster.apps.readNamespacedDeployment({ name: 'web', namespace: nsOf(7) })).status?.readyReplicas,
    1,
  );

  // closed: objects, namespace and database gone, the deployment inactive
  const closed = await pr('closed', 7, 'b', { merged: true });
  const r3 = await finished(closed.body.queued as number);
  assert.equal(r3.state, 'succeeded', r3.message);
  await waitFor(
    'namespace to be gone',
    async () => ((await namespaceOf(nsOf(7))) ? undefined : true),
    60_000,
  );
  assert.equal(
    (await pgQuery("SELECT 1 FROM pg_database WHERE datname = 'web_pr_7'")).length,
    0,
    'database dropped',
  );
  assert.equal(
    (await pgQuery("SELECT 1 FROM pg_roles WHERE rolname = 'web_pr_7'")).length,
    0,
    'role dropped',
  );
  const last = [...gh.deployments.values()].filter((d) => d.environment === 'pr-7').at(-1)!;
  assert.equal(last.statuses.at(-1)?.state, 'inactive');
  assert.match(gh.comments.get(commentId)!.body, /removed: the pull request was merged/);
  assert.equal((await server.api('GET', '/api/v1/previews/7', admin)).status, 404);
});

test('forks wait for the label; over maxCount is refused in the comment; a namespace ferry did not create is kept; ferry preview ls|deploy|rm', async () => {
  const fork = await pr('opened', 10, 'c', { headRepo: 'stranger/platform' });
  const rf = await finished(fork.body.queued as number);
  assert.match(rf.message, /fork gets a preview once a maintainer adds the label "preview"/);
  assert.equal((await server.api('GET', '/api/v1/previews/10', admin)).status, 404);

  // PR 12's namespace exists already (not ferry's)
  await cluster.core.createNamespace({ body: { metadata: { name: nsOf(12), labels: { team: 'qa' } } } });
  for (const [n, c] of [
    [11, 'd'],
    [12, 'e'],
  ] as const) {
    const d = await pr('opened', n, c);
    const r = await finished(d.body.queued as number);
    assert.equal(r.state, 'succeeded', `${n}: ${r.message}`);
  }
  const over = await pr('opened', 13, 'f');
  const r13 = await finished(over.body.queued as number);
  assert.equal(r13.state, 'rejected');
  assert.match(r13.message, /E_PREVIEW_LIMIT/);
  const comment13 = [...gh.comments.values()].find((c) => c.issue === 13);
  assert.match(comment13?.body ?? '', /previews\.maxCount allows \(2\)/);
  assert.equal(await namespaceOf(nsOf(13)), undefined, 'nothing made for a refused preview');

  const env = { FERRY_SERVER: server.url, FERRY_TOKEN: await server.token('deployer', ['stage']) };
  const ls = await runFerry(['preview', 'ls', '-o', 'json'], env);
  assert.equal(ls.code, 0, ls.stderr);
  const listed = JSON.parse(ls.stdout) as { previews: { number: number; state: string }[] };
  assert.deepEqual(
    listed.previews.map((p) => [p.number, p.state]),
    [
      [11, 'ready'],
      [12, 'ready'],
      [13, 'refused'],
    ],
  );
  const human = await runFerry(['preview', 'ls'], env);
  assert.match(human.stdout, /^PR\s+STATE\s+VERSION/m);
  assert.match(human.stdout, /#11\s+ready\s+sha-ddddddd/);

  const dep = await runFerry(['preview', 'deploy', '--pr', '11', '--version', '2.0.0', '-o', 'json'], env);
  assert.equal(dep.code, 0, dep.stderr);
  assert.equal((JSON.parse(dep.stdout) as Req).state, 'succeeded');
  const api11 = await cluster.apps.readNamespacedDeployment({ name: 'api', namespace: nsOf(11) });
  assert.equal(api11.spec?.template.spec?.containers[0]?.image, 'r.example.com/api:2.0.0');
  const viewer = await runFerry(['preview', 'rm', '11'], {
    ...env,
    FERRY_TOKEN: await server.token('viewer'),
  });
  assert.notEqual(viewer.code, 0, 'a viewer may not remove a preview');
  const missing = await runFerry(['preview', 'deploy', '--pr', '404', '--version', '1.0.0'], env);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no preview for pull request 404/);

  const rm = await runFerry(['preview', 'rm', '12'], env);
  assert.equal(rm.code, 0, rm.stderr);
  assert.match(rm.stdout, /succeeded/);
  const kept = await namespaceOf(nsOf(12));
  assert.ok(kept && !kept.metadata?.deletionTimestamp, 'a namespace ferry did not create is never deleted');
  const left = await cluster.apps.listNamespacedDeployment({ namespace: nsOf(12) });
  assert.equal(left.items.length, 0, "ferry's objects in it are gone");

  // the opt-in label is not configured: removing another label changes nothing
  const unl = await pr('unlabeled', 11, 'd', { label: 'wip' });
  assert.match((await finished(unl.body.queued as number)).message, /not the previews' opt-in label/);
  assert.ok(await namespaceOf(nsOf(11)));
});
