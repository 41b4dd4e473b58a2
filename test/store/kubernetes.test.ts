// The Kubernetes store driver on the real test cluster: the whole driver contract (its
// environments test, stage and prod each in a namespace of their own, created by the driver on
// its first write), then what only this driver has: two machines racing for one Lease, ids taken
// at once, records that a deploy's prune never selects, the size a release Secret holds, and a
// namespace ferry may not create.
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../src/cluster/types.ts';
import { pruneObjects, selectorString } from '../../src/engine/apply.ts';
import { FerryError } from '../../src/errors.ts';
import { loadApp } from '../../src/manifest/load.ts';
import { listWorkloads } from '../../src/model/resolve.ts';
import { testEnvironment, testWorkload } from '../../src/render/kubernetes/fixture.ts';
import { renderKubernetes } from '../../src/render/kubernetes/index.ts';
import { LABEL_MANAGED_BY, pruneSelector } from '../../src/render/kubernetes/labels.ts';
import { driverContract, release } from '../../src/store/driver-contract.ts';
import { KubernetesDriver } from '../../src/store/kubernetes/driver.ts';
import { MAX_SECRET_DATA_BYTES } from '../../src/store/kubernetes/release-record.ts';
import { Store } from '../../src/store/store.ts';
import { keyOf, type Release, type StepName, type StoredObject } from '../../src/store/types.ts';
import { testCluster } from '../kit/cluster.ts';
import { dropNamespaces, machine, namespaceOf, placement, withShared } from './kit.ts';

/** A step, the lock and an audit entry of release `r` of hcn in test: every kind of record beside it. */
async function besideRelease(store: Store, r: Release, step: StepName): Promise<void> {
  await store.startStep(keyOf(r), step, 1);
  const lock = {
    key: 'hcn/test',
    holder: 'ann',
    token: 't',
    owner: undefined,
    ttlMs: 60_000,
    now: Date.now(),
  };
  await store.acquireLease(lock);
  const entry = { at: 1, actor: 'ann', action: 'deploy', service: 'hcn', environment: 'test', detail: '' };
  await store.audit({ ...entry, releaseId: r.id });
}

driverContract('kubernetes', {
  async open(shared) {
    await testCluster();
    return new KubernetesDriver(placement(machine(), shared));
  },
  cleanup: dropNamespaces,
});

test('kubernetes: two machines racing for one Lease — exactly one wins, every round', () =>
  withShared(async (shared) => {
    const one = new Store(new KubernetesDriver(placement(machine(), shared)));
    const two = new Store(new KubernetesDriver(placement(machine(), shared)));
    const rounds = 25;
    const ttlMs = 1000;
    for (let round = 0; round < rounds; round++) {
      // every round starts after the previous winner's lease expired: both may take it
      const now = round * (ttlMs + 1);
      const req = (holder: string) => ({
        key: 'api/test',
        holder,
        token: `${holder}-${round}`,
        owner: undefined,
        ttlMs,
        now,
      });
      const got = await Promise.all([one.acquireLease(req('one')), two.acquireLease(req('two'))]);
      const won = got.filter((g) => g.acquired);
      assert.equal(won.length, 1, `round ${round}: exactly one holder`);
      const winner = won[0]!.acquired ? won[0]!.lease : undefined;
      const loser = got.find((g) => !g.acquired);
      assert.equal(
        loser && !loser.acquired ? loser.current.token : '',
        winner?.token,
        'the loser sees the winner',
      );
      assert.equal(winner?.generation, round + 1, 'one acquisition per round: the fencing number says so');
      assert.equal((await one.lease('api/test'))?.token, winner?.token);
    }
  }));

test('kubernetes: ids taken at once by two machines are unique and increasing', () =>
  withShared(async (shared) => {
    const one = new Store(new KubernetesDriver(placement(machine(), shared)));
    const two = new Store(new KubernetesDriver(placement(machine(), shared)));
    const started = await Promise.all(
      Array.from({ length: 16 }, (_, i) => (i % 2 ? one : two).startRelease(release({ version: String(i) }))),
    );
    const ids = started.map((r) => r.id).sort((a, b) => a - b);
    assert.deepEqual(
      ids,
      Array.from({ length: 16 }, (_, i) => i + 1),
      'unique ids, no gaps without failures',
    );
    const listed = (await one.releases({ service: 'hcn', environment: 'test', limit: 100 })).items;
    assert.deepEqual(
      listed.map((r) => r.id),
      [...ids].reverse(),
    );
    const after = await two.startRelease(release());
    assert.equal(after.id, 17);
  }));

test("kubernetes: a deploy's prune never selects a release record, its steps, lock, history or audit", () =>
  withShared(async (shared) => {
    const cluster = machine();
    const store = new Store(new KubernetesDriver(placement(cluster, shared)));
    const namespace = namespaceOf(shared, 'test');
    const w = testWorkload({ environment: { ...testEnvironment, namespace } });
    const rendered = renderKubernetes(w).objects.filter(
      (o) => o.kind !== 'Namespace',
    ) as unknown as KObject[];
    const r = await store.startRelease(
      release({ namespace, objects: rendered as unknown as StoredObject[] }),
    );
    await besideRelease(store, r, 'apply');
    const applied: string[] = [];
    for (const o of rendered) {
      if (!(await cluster.serves(o.apiVersion, o.kind))) continue;
      await cluster.apply({ ...o, metadata: { ...o.metadata, namespace } });
      applied.push(o.kind);
    }
    assert.ok(applied.includes('Deployment') && applied.includes('Service'), applied.join(','));

    // the prune selector of this very service and environment matches none of the store's objects
    const selector = selectorString(pruneSelector('hcn', 'test'));
    for (const [apiVersion, kind] of [
      ['v1', 'Secret'],
      ['v1', 'ConfigMap'],
      ['coordination.k8s.io/v1', 'Lease'],
    ] as const) {
      const selected = await cluster.list(apiVersion, kind, namespace, selector);
      assert.deepEqual(
        selected.filter((o) => o.metadata.name.startsWith('ferry.')).map((o) => o.metadata.name),
        [],
        `${kind}s selected by the prune selector`,
      );
    }
    // a deploy that keeps nothing prunes every object of the service, across every kind it knows
    const kinds = new Set([...(await store.kindsApplied('hcn', 'test')), 'Secret', 'ConfigMap', 'Lease']);
    const pruned = await pruneObjects(cluster, 'hcn', 'test', namespace, [], kinds);
    assert.ok(
      pruned.some((p) => p.startsWith('Deployment/')),
      pruned.join(', '),
    );
    assert.equal((await store.release(keyOf(r))).objects.length, rendered.length);
    assert.deepEqual(
      (await store.steps(keyOf(r))).map((s) => s.name),
      ['apply'],
    );
    assert.equal((await store.lease('hcn/test'))?.holder, 'ann');
    assert.equal((await store.auditLog({ service: 'hcn' })).length, 1);
    assert.deepEqual(
      [...(await store.kindsApplied('hcn', 'test'))].sort(),
      [...new Set(rendered.map((o) => o.kind))].sort(),
    );
  }));

/** Every service of examples/preply in prod, rendered `copies` times under other names. */
async function preplyObjects(copies: number): Promise<StoredObject[]> {
  const app = await loadApp(new URL('../../examples/preply', import.meta.url).pathname);
  const out: StoredObject[] = [];
  for (let i = 0; i < copies; i++) {
    for (const w of listWorkloads(app, 'prod', `1.${i}.0`)) {
      const r = renderKubernetes({ ...w, service: `${w.service}-${i}` });
      out.push(...(r.objects.filter((o) => o.kind !== 'Namespace') as unknown as StoredObject[]));
    }
  }
  return out;
}

test('kubernetes: a release of hundreds of objects fits one Secret; one that does not is refused whole', () =>
  withShared(async (shared) => {
    const cluster = machine();
    const store = new Store(new KubernetesDriver(placement(cluster, shared)));
    const objects = await preplyObjects(40);
    assert.ok(objects.length >= 500, `${objects.length} objects`);
    const big = await store.startRelease(release({ objects }));
    const got = await store.release(keyOf(big));
    assert.equal(JSON.stringify(got.objects), JSON.stringify(objects), 'stored verbatim');
    const secret = await cluster.get({
      apiVersion: 'v1',
      kind: 'Secret',
      name: `ferry.release.hcn.test.v${big.id}`,
      namespace: namespaceOf(shared, 'test'),
    });
    const bytes = Buffer.from(
      String((secret as { data?: { release?: string } }).data?.release),
      'base64',
    ).length;
    assert.ok(bytes < MAX_SECRET_DATA_BYTES / 4, `${objects.length} objects: ${bytes} bytes compressed`);

    // incompressible content over 1 MiB: refused before an id is taken, nothing written
    const noise = randomBytes(1100 * 1024).toString('base64');
    const huge: StoredObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'noise' },
      data: { noise },
    };
    await assert.rejects(
      store.startRelease(release({ service: 'huge', objects: [huge] })),
      (e: unknown) => e instanceof FerryError && e.code === 'E_RELEASE_TOO_LARGE' && e.kind === 'invalid',
    );
    assert.equal((await store.latest('huge', 'test'))?.id, undefined);
    assert.deepEqual([...(await store.kindsApplied('huge', 'test'))], []);
  }));

test('kubernetes: a namespace ferry may not create is a clear error on the first write; reads find nothing', () =>
  withShared(async (shared) => {
    const store = new Store(new KubernetesDriver(placement(machine(), shared, false)));
    assert.deepEqual((await store.releases({ service: 'hcn', environment: 'test' })).items, []);
    assert.equal(await store.lease('hcn/test'), undefined);
    await assert.rejects(
      store.startRelease(release()),
      (e: unknown) =>
        e instanceof FerryError &&
        e.code === 'E_STORE_NAMESPACE' &&
        e.message.includes(namespaceOf(shared, 'test')) &&
        (e.hint ?? '').includes('createNamespace'),
    );
    const lock = { key: 'hcn/test', holder: 'a', token: 't', owner: undefined, ttlMs: 1000, now: 0 };
    await assert.rejects(
      store.acquireLease(lock),
      (e: unknown) => e instanceof FerryError && e.code === 'E_STORE_NAMESPACE',
    );
  }));

test('kubernetes: the store creates a missing namespace labelled managed-by ferry; everything it writes is too', () =>
  withShared(async (shared) => {
    const cluster = machine();
    const store = new Store(new KubernetesDriver(placement(cluster, shared)));
    const r = await store.startRelease(release());
    await besideRelease(store, r, 'plan');
    const namespace = namespaceOf(shared, 'test');
    const ns = await cluster.get({
      apiVersion: 'v1',
      kind: 'Namespace',
      name: namespace,
      namespace: undefined,
    });
    assert.equal(ns?.metadata.labels?.[LABEL_MANAGED_BY], 'ferry');
    const written: KObject[] = [];
    for (const [apiVersion, kind] of [
      ['v1', 'Secret'],
      ['v1', 'ConfigMap'],
      ['coordination.k8s.io/v1', 'Lease'],
    ] as const) {
      written.push(...(await cluster.list(apiVersion, kind, namespace, 'store.ferry.dev/record')));
    }
    assert.deepEqual(
      written.map((o) => `${o.kind}/${o.metadata.name}`).sort(),
      [
        'ConfigMap/ferry.history.hcn.test',
        `ConfigMap/ferry.audit.hcn.test.1-${written
          .find((o) => o.metadata.name.startsWith('ferry.audit'))
          ?.metadata.name.split('-')
          .at(-1)}`,
        'Lease/ferry.lock.hcn.test',
        'Secret/ferry.release.hcn.test.v1',
        'Secret/ferry.steps.hcn.test.v1',
      ].sort(),
    );
    for (const o of written) assert.equal(o.metadata.labels?.[LABEL_MANAGED_BY], 'ferry', o.metadata.name);
    const types = written
      .map((o) => (o as { type?: string }).type)
      .filter(Boolean)
      .sort();
    assert.deepEqual(types, ['ferry.dev/release.v1', 'ferry.dev/steps.v1']);
  }));

test('kubernetes: queries across pairs with long histories merge the newest of each pair', () =>
  withShared(async (shared) => {
    const store = new Store(new KubernetesDriver(placement(machine(), shared)));
    // hcn in test has recorded 401 releases (one imported as 400), web two: windows, not one list
    const base = await store.startRelease(release({ version: 'base', startedAt: 5 }));
    const old = {
      ...base,
      id: 400,
      version: 'old',
      startedAt: 10,
      outcome: 'succeeded' as const,
      endedAt: 11,
    };
    await store.importRelease(old, []);
    await store.startRelease(release({ version: 'new', startedAt: 50 }));
    await store.startRelease(release({ service: 'web', version: 'w1', startedAt: 20 }));
    await store.startRelease(release({ service: 'web', version: 'w2', startedAt: 60 }));
    const names = (rs: { service: string; version: string }[]) => rs.map((r) => `${r.service}:${r.version}`);
    assert.deepEqual(names((await store.releases({ environment: 'test', limit: 3 })).items), [
      'web:w2',
      'hcn:new',
      'web:w1',
    ]);
    assert.deepEqual(names(await store.latestPerService('test')), ['hcn:new', 'web:w2']);
    assert.deepEqual(names((await store.releases({ environment: 'test', outcome: 'succeeded' })).items), [
      'hcn:old',
    ]);
    assert.deepEqual(names((await store.releases({ service: 'hcn', limit: 10 })).items), [
      'hcn:new',
      'hcn:old',
      'hcn:base',
    ]);
  }));
