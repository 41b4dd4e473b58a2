// A preview with its own in-cluster PostgreSQL (previews.backingServices), while its `from`
// environment uses managed ones: the StatefulSet is rendered by ferry in the preview namespace,
// Ready before the app is applied, wired into the same DATABASE_URL Secret; closing the pull
// request removes it — StatefulSet, Service, Secret and claim gone when the teardown ends, in a
// namespace ferry did not create (which stays). Real HTTP to the real server (SQLite), a local
// GitHub REST server, the real cluster; the volume is a PersistentVolume the test provides (the
// test cluster has no provisioner).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { previewsRig, type PreviewsRig } from './previews-kit.ts';

const tag = randomBytes(3).toString('hex');
const N = 31;
const previewNs = `fb${tag}-${N}`;
const pv = `ferry-test-${previewNs}`;

let rig: PreviewsRig;
let server: PreviewsRig['server'];
let cluster: PreviewsRig['cluster'];
let admin: string;

before(async () => {
  rig = await previewsRig({
    prefix: 'previews-backing',
    platform: (stage) => `services: ['services/*']
environments:
  stage: { namespace: ${stage}, createNamespace: false, domain: stage.test, tls: { disabled: true } }
previews: { from: stage, namespace: 'fb${tag}-\${number}', waitForVersion: false, backingServices: [postgres] }
`,
    services: {
      web: 'service: web\nimage: r.example.com/web\nport: 8080\nfeatures: { postgres: true }\nroutes: [{ path: /, public: true }]\n',
    },
    prepare: async (c) => {
      // a namespace that exists before the preview: ferry deploys into it and never deletes it
      await c.core.createNamespace({ body: { metadata: { name: previewNs } } });
      await c.core.createPersistentVolume({
        body: {
          metadata: { name: pv, labels: { 'ferry.dev/test': 'true' } },
          spec: {
            capacity: { storage: '1Gi' },
            accessModes: ['ReadWriteOnce'],
            persistentVolumeReclaimPolicy: 'Delete',
            hostPath: { path: `/tmp/${pv}` },
            claimRef: { namespace: previewNs, name: 'data-web-postgres-0' },
          },
        },
      });
    },
  });
  ({ server, cluster, admin } = rig);
});

after(async () => {
  await rig?.close([previewNs]);
  await cluster?.core.deletePersistentVolume({ name: pv }).catch(() => undefined);
});

const finished = (id: unknown) => rig.finished(id, 240_000);
const event = (action: string) => rig.event(action, N, 'c');

const gone = (read: () => Promise<unknown>) =>
  read().then(
    () => false,
    () => true,
  );

interface StepJson {
  name: string;
  message: string;
  startedAt: string;
  ms?: number;
}

test("in-cluster PostgreSQL for a preview: Ready before the app, the service's DATABASE_URL, gone after close", async () => {
  const opened = await event('opened');
  assert.equal(opened.status, 202, JSON.stringify(opened.body));
  const r = await finished(opened.body.queued);
  assert.equal(r.state, 'succeeded', r.message);
  const preview = await server.api<{ state: string; message: string }>('GET', `/api/v1/previews/${N}`, admin);
  assert.equal(preview.body.state, 'ready');
  assert.match(preview.body.message, /in the cluster: postgres web-postgres Ready \(credentials generated/);

  const sts = await cluster.apps.readNamespacedStatefulSet({ name: 'web-postgres', namespace: previewNs });
  assert.equal(sts.status?.readyReplicas, 1);
  assert.equal(sts.spec?.template.spec?.containers[0]?.image, 'postgres:16-alpine');
  const secret = await cluster.core.readNamespacedSecret({ name: 'web-postgres', namespace: previewNs });
  const url = Buffer.from(secret.data?.url ?? '', 'base64').toString('utf8');
  assert.match(
    url,
    new RegExp(`^postgres://web_pr_${N}:[^@]+@web-postgres\\.${previewNs}\\.svc:5432/web_pr_${N}$`),
  );
  const web = await cluster.apps.readNamespacedDeployment({ name: 'web', namespace: previewNs });
  assert.equal(web.status?.readyReplicas, 1);
  const ref = web.spec?.template.spec?.containers[0]?.env?.find((e) => e.name === 'DATABASE_URL')?.valueFrom
    ?.secretKeyRef;
  assert.deepEqual({ name: ref?.name, key: ref?.key }, { name: 'web-postgres', key: 'url' });

  // the release of web: its provision step found the database Ready, and ended before apply began
  const releases = (
    await server.api<{ releases: { id: number; service: string }[] }>(
      'GET',
      `/api/v1/releases?environment=pr-${N}`,
      admin,
    )
  ).body.releases;
  assert.equal(releases.length, 1);
  const steps = (
    await server.api<{ release: { steps: StepJson[] } }>(
      'GET',
      `/api/v1/releases/web/pr-${N}/${releases[0]!.id}`,
      admin,
    )
  ).body.release.steps;
  const provision = steps.find((s) => s.name === 'provision')!;
  const apply = steps.find((s) => s.name === 'apply')!;
  assert.match(provision.message, /postgres web-postgres Ready/);
  assert.ok(
    Date.parse(provision.startedAt) + (provision.ms ?? Infinity) <= Date.parse(apply.startedAt),
    'the database was Ready before the app was applied',
  );
  const pod = await cluster.core.readNamespacedPod({ name: 'web-postgres-0', namespace: previewNs });
  const readyAt = pod.status?.conditions?.find(
    (c) => c.type === 'Ready' && c.status === 'True',
  )?.lastTransitionTime;
  assert.ok(readyAt, 'the database pod is Ready');
  assert.ok(
    new Date(readyAt).getTime() <= new Date(web.metadata!.creationTimestamp!).getTime(),
    'Ready no later than the app was created',
  );

  // closed: the teardown ends only once the backing objects — claim included — are gone
  const closed = await event('closed');
  const t = await finished(closed.body.queued);
  assert.equal(t.state, 'succeeded', t.message);
  assert.match(t.message, /backing services removed: .*StatefulSet\/web-postgres/);
  assert.match(t.message, /PersistentVolumeClaim\/data-web-postgres-0/);
  assert.match(t.message, /namespace .* kept \(ferry did not create it\)/);
  const read = { namespace: previewNs };
  assert.ok(await gone(() => cluster.apps.readNamespacedStatefulSet({ name: 'web-postgres', ...read })));
  assert.ok(await gone(() => cluster.core.readNamespacedService({ name: 'web-postgres', ...read })));
  assert.ok(await gone(() => cluster.core.readNamespacedSecret({ name: 'web-postgres', ...read })));
  assert.ok(
    await gone(() =>
      cluster.core.readNamespacedPersistentVolumeClaim({ name: 'data-web-postgres-0', ...read }),
    ),
  );
  assert.ok(await cluster.core.readNamespace({ name: previewNs }), 'a namespace ferry did not create stays');
  assert.equal((await server.api('GET', `/api/v1/previews/${N}`, admin)).status, 404);
});
