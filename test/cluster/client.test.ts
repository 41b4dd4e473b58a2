// ferry's Kubernetes client (src/cluster/kube.ts) verb by verb against the real API server:
// server-side apply and its dry-run, create (409 when taken), replace (compare-and-set), get,
// list, watch, delete, discovery (serves), events and logs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeCluster } from '../../src/cluster/kube.ts';
import { ClusterApiError } from '../../src/cluster/errors.ts';
import type { KObject, WatchEvent } from '../../src/cluster/types.ts';
import { testKubeconfigPath, waitFor, withNamespace } from '../kit/cluster.ts';
import { deployment } from '../kit/workloads.ts';

const client = () =>
  new KubeCluster({ kubeconfig: testKubeconfigPath(), backoff: { attempts: 1, baseMs: 1, maxMs: 1 } });
const isStatus = (status: number) => (e: unknown) => e instanceof ClusterApiError && e.status === status;

function cm(name: string, namespace: string, data: Record<string, string>, labels = { app: 'web' }): KObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels }, data };
}

test('apply: dry-run persists nothing; apply creates, then updates as field manager ferry', async () => {
  await withNamespace('client-apply', async ({ namespace }) => {
    const c = client();
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'settings', namespace };
    const dry = await c.apply(cm('settings', namespace, { a: '1' }), { dryRun: true });
    assert.ok(dry.metadata.uid, 'the dry-run answer is the object as it would be stored');
    assert.equal(await c.get(ref), undefined);
    await c.apply(cm('settings', namespace, { a: '1' }));
    const updated = await c.apply(cm('settings', namespace, { a: '2', b: '3' }));
    assert.deepEqual(updated.data, { a: '2', b: '3' });
    const managers = (updated.metadata.managedFields as { manager: string; operation: string }[]).map(
      (f) => `${f.manager}/${f.operation}`,
    );
    assert.deepEqual(managers, ['ferry/Apply']);
    // real validation: a Deployment whose selector does not match its template is a 422
    const bad = { ...deployment('broken', 1), metadata: { name: 'broken', namespace } } as unknown as KObject;
    (bad.spec as { selector: unknown }).selector = { matchLabels: { app: 'other' } };
    await assert.rejects(c.apply(bad, { dryRun: true }), isStatus(422));
  });
});

test('create is 409 when the name is taken; replace is a compare-and-set on resourceVersion', async () => {
  await withNamespace('client-cas', async ({ namespace }) => {
    const c = client();
    const made = await c.create(cm('lease', namespace, { holder: 'a' }));
    await assert.rejects(c.create(cm('lease', namespace, { holder: 'b' })), isStatus(409));
    const v1 = made.metadata.resourceVersion;
    const next = await c.replace({ ...made, data: { holder: 'b' } });
    assert.notEqual(next.metadata.resourceVersion, v1);
    // a writer still holding the old version loses
    await assert.rejects(c.replace({ ...made, data: { holder: 'c' } }), isStatus(409));
    const live = await c.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'lease', namespace });
    assert.deepEqual(live?.data, { holder: 'b' });
  });
});

test('get, list by label, delete; a kind the server does not serve is absent, not an error', async () => {
  await withNamespace('client-crud', async ({ namespace }) => {
    const c = client();
    await c.apply(cm('one', namespace, { n: '1' }));
    await c.apply(cm('two', namespace, { n: '2' }, { app: 'other' }));
    const listed = await c.list('v1', 'ConfigMap', namespace, 'app=web');
    assert.deepEqual(
      listed.map((o) => [o.apiVersion, o.kind, o.metadata.name]),
      [['v1', 'ConfigMap', 'one']],
    );
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'one', namespace };
    assert.equal((await c.get(ref))?.metadata.name, 'one');
    assert.equal(await c.delete(ref), true);
    assert.equal(await c.delete(ref), false);
    assert.equal(await c.get(ref), undefined);
    assert.equal(await c.serves('apps/v1', 'Deployment'), true);
    assert.equal(await c.serves('apps/v1', 'NoSuchKind'), false);
    assert.equal(await c.serves('ferry-test.example.com/v1', 'Widget'), false);
    assert.deepEqual(await c.list('ferry-test.example.com/v1', 'Widget', namespace, ''), []);
    const widget = { apiVersion: 'ferry-test.example.com/v1', kind: 'Widget', name: 'w', namespace };
    assert.equal(await c.get(widget), undefined);
    await assert.rejects(
      c.apply({ apiVersion: widget.apiVersion, kind: 'Widget', metadata: { name: 'w', namespace } }),
      isStatus(404),
    );
  });
});

test('a custom resource is discovered once its CRD is established, and is then a kind like any other', async () => {
  await withNamespace('client-crd', async ({ namespace }) => {
    const c = client();
    const group = `${namespace}.example.com`; // one group per run: nothing shared with other runs
    const crd: KObject = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `gadgets.${group}` },
      spec: {
        group,
        scope: 'Namespaced',
        names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
        ],
      },
    };
    await c.apply(crd);
    try {
      await waitFor(
        'the CRD to be served',
        async () => (await client().serves(`${group}/v1`, 'Gadget')) || undefined,
      );
      const fresh = client(); // a new process's view: discovery from scratch
      await fresh.apply({
        apiVersion: `${group}/v1`,
        kind: 'Gadget',
        metadata: { name: 'g', namespace },
        size: 3,
      });
      const got = await fresh.list(`${group}/v1`, 'Gadget', namespace, '');
      assert.deepEqual(
        got.map((o) => [o.kind, o.metadata.name, o.size]),
        [['Gadget', 'g', 3]],
      );
    } finally {
      await c.delete({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        name: crd.metadata.name,
        namespace: undefined,
      });
    }
  });
});

test('watch: ADDED for what exists, then MODIFIED and DELETED; nothing after stop()', async () => {
  await withNamespace('client-watch', async ({ namespace }) => {
    const c = client();
    await c.apply(cm('a', namespace, { n: '1' }));
    const seen: string[] = [];
    const errors: Error[] = [];
    const h = await c.watch(
      'v1',
      'ConfigMap',
      namespace,
      'app=web',
      (e: WatchEvent) => seen.push(`${e.type} ${e.object.kind}/${e.object.metadata.name}`),
      (err) => errors.push(err),
    );
    await c.apply(cm('a', namespace, { n: '2' }));
    await c.apply(cm('b', namespace, { n: '1' }));
    await c.delete({ apiVersion: 'v1', kind: 'ConfigMap', name: 'a', namespace });
    await waitFor(
      'the DELETED event',
      async () => (seen.includes('DELETED ConfigMap/a') ? true : undefined),
      10_000,
      50,
    );
    h.stop();
    await c.apply(cm('b', namespace, { n: '2' }));
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(seen, [
      'ADDED ConfigMap/a',
      'MODIFIED ConfigMap/a',
      'ADDED ConfigMap/b',
      'DELETED ConfigMap/a',
    ]);
    assert.deepEqual(errors, [], 'stop() is not an error');
  });
});

test('events of an object, oldest first; logs of a pod the node cannot serve are the API server’s error', async () => {
  await withNamespace('client-events', async ({ namespace }) => {
    const c = client();
    await c.apply({ ...deployment('web', 1), metadata: { name: 'web', namespace } } as unknown as KObject);
    const events = await waitFor(
      'events of the Deployment',
      async () => {
        const got = await c.events(namespace, 'web');
        return got.length > 0 ? got : undefined;
      },
      30_000,
    );
    assert.ok(events.every((e) => e.objectName === 'web' && e.objectKind === 'Deployment'));
    assert.match(events[0]?.reason ?? '', /ScalingReplicaSet/);
    assert.ok(!Number.isNaN(Date.parse(events[0]?.at ?? '')), 'at is a timestamp');
    const at = events.map((e) => e.at);
    assert.deepEqual(at, [...at].sort(), 'oldest first');
    const pod = await waitFor('a pod', async () => (await c.list('v1', 'Pod', namespace, 'app=web'))[0]);
    // kwok's simulated nodes have no kubelet to stream logs from: the API server says so
    await assert.rejects(
      c.podLogs(namespace, pod.metadata.name, { tailLines: 5 }),
      (e: unknown) => e instanceof ClusterApiError && e.status >= 400,
    );
    await assert.rejects(c.podLogs(namespace, 'no-such-pod'), isStatus(404));
    // streamed: the same answers; an aborted signal ends it at once without a request
    await assert.rejects(
      c.streamLogs(namespace, 'no-such-pod', { container: 'app', follow: true }, () => undefined),
      isStatus(404),
    );
    await assert.rejects(
      c.streamLogs(namespace, pod.metadata.name, { container: 'app', tailLines: 5 }, () => undefined),
      (e: unknown) => e instanceof ClusterApiError && e.status >= 400,
    );
    const aborted = new AbortController();
    aborted.abort();
    const chunks: string[] = [];
    await c.streamLogs(namespace, 'no-such-pod', { container: 'app', signal: aborted.signal }, (t) =>
      chunks.push(t),
    );
    assert.deepEqual(chunks, []);
  });
});
