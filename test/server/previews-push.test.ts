// A waiting preview deployed by the registry: the push of the head commit's tag (the preview's
// version) deploys it once every image of the preview has been pushed, and the events of one
// multi-arch push make one deploy. Real HTTP to the real server (SQLite), a local GitHub REST
// server, registry payloads in CNCF Distribution's documented envelope, the real cluster.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { distributionEnvelope } from '../../src/server/webhooks/registry/testing.ts';
import { previewsRig, type PreviewsRig } from './previews-kit.ts';

const HOOK_TOKEN = `hook-${randomBytes(8).toString('hex')}`;
const tag = randomBytes(3).toString('hex');
const nsOf = (n: number) => `fi${tag}-${n}`;

let rig: PreviewsRig;
let gh: PreviewsRig['gh'];
let server: PreviewsRig['server'];
let cluster: PreviewsRig['cluster'];
let admin: string;

before(async () => {
  process.env.FERRY_DISTRIBUTION_WEBHOOK_TOKEN = HOOK_TOKEN;
  rig = await previewsRig({
    prefix: 'previews-push',
    platform: (stage) => `services: ['services/*']
environments:
  stage: { namespace: ${stage}, createNamespace: false, domain: stage.test, tls: { disabled: true } }
previews: { from: stage, namespace: 'fi${tag}-\${number}', label: preview }
`,
    services: {
      web: 'service: web\nimage: r.example.com/web\nport: 8080\nroutes: [{ path: /, public: true }]\n',
      worker: 'service: worker\nimage: r.example.com/worker\n',
    },
  });
  ({ gh, server, cluster, admin } = rig);
});

after(() => rig?.close([nsOf(23)]));

const finished = (id: unknown) => rig.finished(id);
const event = (action: string, n: number, c: string, labels: string[], label?: string) =>
  rig.event(action, n, c, labels, label);
const namespaceOf = (name: string) => rig.namespaceOf(name);

interface PushAnswer {
  duplicate: boolean;
  previews: { number: number; environment: string; request: number; why: string }[];
}

const push = (repository: string, tag: string, digest: string) =>
  fetch(`${server.url}/webhooks/registry/distribution`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${HOOK_TOKEN}` },
    body: JSON.stringify(distributionEnvelope({ repository, tag, digest, host: 'r.example.com' })),
  }).then(async (res) => ({ status: res.status, body: (await res.json()) as PushAnswer }));

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const stateOf = async (n: number) =>
  (await server.api<{ state: string; version?: string }>('GET', `/api/v1/previews/${n}`, admin)).body;

test('a registry push of the tag a waiting preview needs deploys it, once every image is pushed; a multi-arch push is one deploy', async () => {
  const labeled = await event('labeled', 23, '3', ['preview'], 'preview');
  assert.equal((await finished(labeled.body.queued)).state, 'succeeded');
  assert.equal((await stateOf(23)).state, 'waiting');
  assert.match(
    [...gh.comments.values()].find((c) => c.issue === 23)?.body ?? '',
    /registry reports the push of `sha-3333333`/,
  );

  // another commit's tag, and another repository's: not this preview's
  const other = await push('web', 'sha-4444444', digest('a'));
  assert.equal(other.status, 202, JSON.stringify(other.body));
  assert.deepEqual(other.body.previews, []);
  const stranger = await push('stranger', 'sha-3333333', digest('a'));
  assert.deepEqual(stranger.body.previews, []);

  // the first of its two images: recorded, still waiting for the other
  const web = await push('web', 'sha-3333333', digest('b'));
  assert.equal(web.status, 202, JSON.stringify(web.body));
  assert.equal(web.body.previews.length, 1, JSON.stringify(web.body));
  assert.equal(web.body.previews[0]?.environment, 'pr-23');
  const first = await finished(web.body.previews[0]?.request);
  assert.equal(first.state, 'succeeded', first.message);
  assert.match(first.message, /waits for r\.example\.com\/worker:sha-3333333/);
  assert.equal((await stateOf(23)).state, 'waiting');
  assert.equal(await namespaceOf(nsOf(23)), undefined, 'nothing deployed before every image exists');

  // the last one, pushed for three platforms at once (an event per manifest): one deploy
  const answers = await Promise.all(['c', 'd', 'e'].map((c) => push('worker', 'sha-3333333', digest(c))));
  for (const a of answers) assert.equal(a.status, 202, JSON.stringify(a.body));
  const requests = new Set(answers.flatMap((a) => a.body.previews.map((p) => p.request)));
  assert.equal(requests.size, 1, JSON.stringify(answers.map((a) => a.body.previews)));
  const deployed = await finished([...requests][0]);
  assert.equal(deployed.state, 'succeeded', deployed.message);
  const p = await stateOf(23);
  assert.deepEqual({ state: p.state, version: p.version }, { state: 'ready', version: 'sha-3333333' });
  for (const name of ['web', 'worker']) {
    const d = await cluster.apps.readNamespacedDeployment({ name, namespace: nsOf(23) });
    assert.equal(d.status?.readyReplicas, 1, name);
    assert.equal(d.spec?.template.spec?.containers[0]?.image, `r.example.com/${name}:sha-3333333`);
  }
  const all = (
    await server.api<{ requests: { payload: { op?: string } }[] }>(
      'GET',
      '/api/v1/requests?environment=pr-23',
      admin,
    )
  ).body.requests;
  assert.deepEqual(
    all.map((r) => r.payload.op).sort(),
    ['image', 'image', 'sync'],
    'the label, then one request per pushed image: never a second deploy',
  );

  // deployed: the same tag pushed again queues nothing for it
  const again = await push('worker', 'sha-3333333', digest('f'));
  assert.deepEqual(again.body.previews, []);

  // a new head commit: waiting again, for its own tag, which a push then deploys
  const sync = await event('synchronize', 23, '5', ['preview']);
  assert.equal((await finished(sync.body.queued)).state, 'succeeded');
  assert.equal((await stateOf(23)).state, 'waiting');
  const pushes = [
    await push('web', 'sha-5555555', digest('1')),
    await push('worker', 'sha-5555555', digest('2')),
  ];
  const last = pushes.at(-1)!.body.previews[0];
  assert.ok(last, JSON.stringify(pushes.map((x) => x.body)));
  assert.equal((await finished(last.request)).state, 'succeeded');
  assert.deepEqual(await stateOf(23).then((x) => x.version), 'sha-5555555');
  const del = await server.api<{ id: number }>('DELETE', '/api/v1/previews/23', admin);
  assert.equal((await finished(del.body.id)).state, 'succeeded');
});
