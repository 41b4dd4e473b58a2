// The RBAC docs/store.md documents, on the real API server's RBAC: a ServiceAccount bound to
// exactly that Role records, reads, locks and prunes history; one without it gets
// E_STORE_CLUSTER naming the namespace and the permissions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { KubeCluster } from '../../src/cluster/kube.ts';
import { tempDir } from '../../src/cli/testing.ts';
import { FerryError } from '../../src/errors.ts';
import { release } from '../../src/store/driver-contract.ts';
import { KubernetesDriver } from '../../src/store/kubernetes/driver.ts';
import { Store } from '../../src/store/store.ts';
import { keyOf } from '../../src/store/types.ts';
import { testCluster, withNamespace } from '../kit/cluster.ts';

/** The Role of docs/store.md, verbatim in substance. */
const role = (namespace: string) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'Role',
  metadata: { name: 'ferry-store', namespace },
  rules: [
    {
      apiGroups: [''],
      resources: ['secrets', 'configmaps'],
      verbs: ['get', 'list', 'create', 'update', 'delete'],
    },
    {
      apiGroups: ['coordination.k8s.io'],
      resources: ['leases'],
      verbs: ['get', 'list', 'create', 'update', 'delete'],
    },
  ],
});

/** A kubeconfig that authenticates as ServiceAccount `name` of `namespace`. */
async function kubeconfigOf(name: string, namespace: string): Promise<string> {
  const { kc, core } = await testCluster();
  const admin = new KubeCluster({ kubeconfig: (await testCluster()).kubeconfigPath });
  await admin.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } });
  const token = await core.createNamespacedServiceAccountToken({
    name,
    namespace,
    body: { spec: { audiences: [], expirationSeconds: 600 } },
  });
  const server = kc.getCurrentCluster();
  const file = join(tempDir('ferry-rbac-'), 'kubeconfig');
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'c', cluster: { server: server?.server, 'certificate-authority-data': server?.caData } },
      ],
      users: [{ name, user: { token: token.status?.token } }],
      contexts: [{ name, context: { cluster: 'c', user: name } }],
      'current-context': name,
    }),
  );
  return file;
}

function storeAs(kubeconfig: string, namespace: string): Store {
  const cluster = new KubeCluster({ kubeconfig });
  return new Store(
    new KubernetesDriver({
      locate: () => ({ cluster, namespace, createNamespace: false }),
      environments: () => ['test'],
    }),
  );
}

test('the documented Role is all the store needs in a namespace; without it, E_STORE_CLUSTER says what is missing', () =>
  withNamespace('kstore-rbac', async ({ namespace, kubeconfigPath }) => {
    const admin = new KubeCluster({ kubeconfig: kubeconfigPath });
    await admin.create(role(namespace));
    await admin.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'ferry-store', namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'ferry-store' },
      subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace }],
    });
    const store = storeAs(await kubeconfigOf('deployer', namespace), namespace);
    const lock = {
      key: 'hcn/test',
      holder: 'ci',
      token: 't',
      owner: undefined,
      ttlMs: 30_000,
      now: Date.now(),
    };
    assert.equal((await store.acquireLease(lock)).acquired, true);
    assert.equal(await store.renewLease('hcn/test', 't', 30_000, Date.now()), true);
    for (const version of ['1', '2', '3']) {
      const r = await store.startRelease(release({ version }));
      const s = await store.startStep(keyOf(r), 'apply', 1);
      await store.endStep(keyOf(r), s, 'succeeded', '', 2);
      await store.finishRelease(keyOf(r), 'succeeded', '', 3);
    }
    await store.audit({
      at: 1,
      actor: 'ci',
      action: 'deploy',
      service: 'hcn',
      environment: 'test',
      releaseId: 3,
      detail: '',
    });
    assert.deepEqual(
      (await store.history('hcn', 'test')).map((r) => r.version),
      ['3', '2', '1'],
    );
    assert.equal((await store.latestPerService()).length, 1);
    assert.equal(await store.retain('hcn', 'test', 1), 2);
    assert.equal((await store.auditLog()).length, 1);
    await store.releaseLease('hcn/test', 't');

    const stranger = storeAs(await kubeconfigOf('stranger', namespace), namespace);
    await assert.rejects(
      stranger.startRelease(release()),
      (e: unknown) =>
        e instanceof FerryError &&
        e.code === 'E_STORE_CLUSTER' &&
        e.message.includes(namespace) &&
        /Secrets, ConfigMaps and Leases/.test(e.hint ?? ''),
    );
  }));
