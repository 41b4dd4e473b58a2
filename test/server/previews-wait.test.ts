// Previews as most teams run them: opt-in by label, waiting for CI's image (the PR comment says
// which command deploys it), removed when the label goes, and removed by the TTL when nobody
// updates them. Real HTTP to the real server (SQLite), a local GitHub REST server, the real cluster.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { waitFor } from '../kit/cluster.ts';
import { previewsRig, type PreviewsRig } from './previews-kit.ts';

const tag = randomBytes(3).toString('hex');
const nsOf = (n: number) => `fw${tag}-${n}`;

let rig: PreviewsRig;
let gh: PreviewsRig['gh'];
let server: PreviewsRig['server'];
let cluster: PreviewsRig['cluster'];
let admin: string;

before(async () => {
  rig = await previewsRig({
    prefix: 'previews-wait',
    platform: (stage) => `services: ['services/*']
environments:
  stage: { namespace: ${stage}, createNamespace: false, domain: stage.test, tls: { disabled: true } }
previews: { from: stage, namespace: 'fw${tag}-\${number}', label: preview, ttl: 10s }
`,
    services: {
      web: 'service: web\nimage: r.example.com/web\nport: 8080\nroutes: [{ path: /, public: true }]\n',
    },
    settings: { previewSweepMs: 500 },
  });
  ({ gh, server, cluster, admin } = rig);
});

after(() => rig?.close([21, 22].map(nsOf)));

const finished = (id: unknown) => rig.finished(id);
const event = (action: string, n: number, c: string, labels: string[], label?: string) =>
  rig.event(action, n, c, labels, label);
const namespaceOf = (name: string) => rig.namespaceOf(name);

test('opt-in label → waits for the version (the comment says how) → CI deploys it → label removed → gone', async () => {
  const plain = await event('opened', 21, '1', []);
  assert.match((await finished(plain.body.queued)).message, /previews are opt-in: add the label "preview"/);
  assert.equal(
    [...gh.comments.values()].filter((c) => c.issue === 21).length,
    0,
    'no comment without the label',
  );

  const labeled = await event('labeled', 21, '1', ['preview'], 'preview');
  assert.equal((await finished(labeled.body.queued)).state, 'succeeded');
  const waiting = await server.api<{ state: string }>('GET', '/api/v1/previews/21', admin);
  assert.equal(waiting.body.state, 'waiting');
  const comment = [...gh.comments.values()].find((c) => c.issue === 21);
  assert.match(comment?.body ?? '', /ferry preview deploy --pr 21 --version sha-1111111/);
  assert.equal(await namespaceOf(nsOf(21)), undefined, 'nothing deployed before the image exists');

  const deployer = await server.token('deployer', ['stage']);
  const other = await server.token('deployer', ['prod-like']);
  assert.equal(
    (await server.api('POST', '/api/v1/previews/21/deploys', other, { version: 'sha-1111111' })).status,
    403,
    'a deployer of another environment may not deploy previews of stage',
  );
  const q = await server.api<{ id: number }>('POST', '/api/v1/previews/21/deploys', deployer, {
    version: 'sha-1111111',
  });
  assert.equal(q.status, 202, JSON.stringify(q.body));
  assert.equal((await finished(q.body.id)).state, 'succeeded');
  const web = await cluster.apps.readNamespacedDeployment({ name: 'web', namespace: nsOf(21) });
  assert.equal(web.status?.readyReplicas, 1);
  assert.match(
    [...gh.comments.values()].find((c) => c.issue === 21)?.body ?? '',
    /http:\/\/web\.pr-21\.stage\.test/,
  );

  const unlabeled = await event('unlabeled', 21, '1', [], 'preview');
  const r = await finished(unlabeled.body.queued);
  assert.match(r.message, /label removed/);
  await waitFor('namespace gone', async () => ((await namespaceOf(nsOf(21))) ? undefined : true), 60_000);
});

test('a preview without an update for the TTL is removed', async () => {
  const labeled = await event('labeled', 22, '2', ['preview'], 'preview');
  assert.equal((await finished(labeled.body.queued)).state, 'succeeded');
  const q = await server.api<{ id: number }>('POST', '/api/v1/previews/22/deploys', admin, {
    version: '1.0.0',
  });
  assert.equal((await finished(q.body.id)).state, 'succeeded');
  assert.ok(await namespaceOf(nsOf(22)));
  await waitFor(
    'the TTL teardown',
    async () => ((await server.api('GET', '/api/v1/previews/22', admin)).status === 404 ? true : undefined),
    60_000,
  );
  await waitFor('namespace gone', async () => ((await namespaceOf(nsOf(22))) ? undefined : true), 60_000);
  assert.match(
    [...gh.comments.values()].find((c) => c.issue === 22)?.body ?? '',
    /removed: no update for 10s/,
  );
});
