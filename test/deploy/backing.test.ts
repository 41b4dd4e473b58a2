// Backing services in the cluster (backingServices: cluster): the in-cluster PostgreSQL of an
// environment is rendered by ferry, started and Ready before the app's rollout, wired into the
// same DATABASE_URL Secret the managed one uses, keeps its generated password on a redeploy, and
// is removed — StatefulSet, Service, Secret, claim — with the environment. The real test cluster;
// the volume is a PersistentVolume the test provides (the cluster has no provisioner).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { environmentOf } from '../../src/engine/actions/environments.ts';
import { removeBacking } from '../../src/engine/release/backing.ts';
import { withNamespace } from '../kit/cluster.ts';
import { deploy, deployDefaults, tempApp, testDeps } from './kit.ts';

test('in-cluster PostgreSQL: Ready before the app, the same connection Secret, removed with the environment', async () => {
  await withNamespace('backing', async (k) => {
    const pv = `ferry-test-${k.namespace}`.slice(0, 63);
    await k.core.createPersistentVolume({
      body: {
        metadata: { name: pv, labels: { 'ferry.dev/test': 'true' } },
        spec: {
          capacity: { storage: '1Gi' },
          accessModes: ['ReadWriteOnce'],
          persistentVolumeReclaimPolicy: 'Delete',
          hostPath: { path: `/tmp/${pv}` },
          claimRef: { namespace: k.namespace, name: 'data-web-postgres-0' },
        },
      },
    });
    const app = tempApp(k.namespace, '', '    backingServices: cluster\n');
    try {
      app.write(
        'web',
        'service: web\nimage: registry.example.com/test/web\nport: 8080\nfeatures: { postgres: true, redis: false }\n',
      );
      const loaded = await app.load();
      const deps = await testDeps(app.statePath);
      const r = await deploy(deps, loaded, {
        ...deployDefaults,
        service: 'web',
        environment: 'test',
        version: '1.0.0',
      });
      assert.equal(r.outcome, 'succeeded', r.message);
      const steps = (await deps.store.release({ service: 'web', environment: 'test', id: r.id })).steps;
      const provision = steps.find((s) => s.name === 'provision')!;
      const apply = steps.find((s) => s.name === 'apply')!;
      assert.match(
        provision.message,
        /in the cluster: postgres web-postgres Ready \(credentials generated for web-postgres\)/,
      );
      assert.ok(provision.endedAt! <= apply.startedAt, 'the database was Ready before the app was applied');

      const sts = await k.apps.readNamespacedStatefulSet({ name: 'web-postgres', namespace: k.namespace });
      assert.equal(sts.status?.readyReplicas, 1);
      assert.equal(sts.spec?.template.spec?.containers[0]?.image, 'postgres:16-alpine');
      const secret = await k.core.readNamespacedSecret({ name: 'web-postgres', namespace: k.namespace });
      const url = Buffer.from(secret.data?.url ?? '', 'base64').toString('utf8');
      const password = Buffer.from(secret.data?.password ?? '', 'base64').toString('utf8');
      assert.equal(
        url,
        `postgres://web:${encodeURIComponent(password)}@web-postgres.${k.namespace}.svc:5432/web`,
      );
      assert.ok(password.length >= 20);
      const web = await k.apps.readNamespacedDeployment({ name: 'web', namespace: k.namespace });
      const envVar = web.spec?.template.spec?.containers[0]?.env?.find((e) => e.name === 'DATABASE_URL');
      const ref = envVar?.valueFrom?.secretKeyRef;
      assert.deepEqual({ name: ref?.name, key: ref?.key }, { name: 'web-postgres', key: 'url' });

      // a redeploy keeps the credentials the database was initialised with
      const again = await deploy(deps, loaded, {
        ...deployDefaults,
        service: 'web',
        environment: 'test',
        version: '1.0.1',
      });
      assert.equal(again.outcome, 'succeeded', again.message);
      const kept = await k.core.readNamespacedSecret({ name: 'web-postgres', namespace: k.namespace });
      assert.equal(kept.data?.password, secret.data?.password);

      const gone = await removeBacking(deps.cluster, environmentOf(loaded, 'test'));
      assert.deepEqual(gone.sort(), [
        'PersistentVolumeClaim/data-web-postgres-0',
        'Secret/web-postgres',
        'Service/web-postgres',
        'StatefulSet/web-postgres',
      ]);
      await assert.rejects(
        k.apps.readNamespacedStatefulSet({ name: 'web-postgres', namespace: k.namespace }),
      );
      await assert.rejects(k.core.readNamespacedService({ name: 'web-postgres', namespace: k.namespace }));
      // the app itself is not a backing service
      assert.ok(await k.apps.readNamespacedDeployment({ name: 'web', namespace: k.namespace }));
      await deps.engine.close();
    } finally {
      app.cleanup();
      await k.core.deletePersistentVolume({ name: pv }).catch(() => undefined);
    }
  });
});
