// The behaviour every StoreDriver must have, through the Store every other layer uses, as a test
// suite each driver's tests run: src/store/store.test.ts (SQLite), test/store/postgres.test.ts
// (PostgreSQL), test/store/kubernetes.test.ts (the cluster).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreEvent } from './events.ts';
import { Store } from './store.ts';
import {
  RELEASE_KINDS,
  keyOf,
  type LeaseRequest,
  type NewRelease,
  type ReleaseKey,
  type StoreDriver,
} from './types.ts';

export interface DriverFactory {
  /** a fresh, migrated, empty store; two calls with the same `shared` share their data (two processes) */
  open(shared: string): Promise<StoreDriver>;
  cleanup(shared: string): Promise<void>;
}

export function release(over: Partial<NewRelease> = {}): NewRelease {
  return {
    service: 'hcn',
    environment: 'test',
    namespace: 'test',
    version: '1.0.0',
    manifestDigest: 'abc',
    kind: 'deploy',
    sourceRelease: undefined,
    actor: 'ann@box',
    objects: [
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'hcn', namespace: 'test' },
        spec: { z: 1, a: 2 },
      },
    ],
    migrateDown: undefined,
    verification: { jobs: [], http: [], observeSeconds: 0 },
    source: {},
    startedAt: 1000,
    ...over,
  };
}

function lease(over: Partial<LeaseRequest> = {}): LeaseRequest {
  return { key: 'hcn/test', holder: 'ann', token: 't1', owner: undefined, ttlMs: 1000, now: 0, ...over };
}

let counter = 0;

export function driverContract(name: string, f: DriverFactory): void {
  const withStore = async (fn: (s: Store, shared: string) => Promise<void>) => {
    const shared = `c${process.pid}x${++counter}`;
    const s = new Store(await f.open(shared));
    try {
      await fn(s, shared);
    } finally {
      await s.close();
      await f.cleanup(shared);
    }
  };

  test(`${name}: a release is stored verbatim (key order kept) and finishes exactly once`, () =>
    withStore(async (store) => {
      const r = await store.startRelease(
        release({
          migrateDown: release().objects[0],
          verification: {
            jobs: [{ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'smoke' } }],
            http: [{ name: 'up', url: 'http://x/health', expect: 200, timeoutSeconds: 5 }],
            observeSeconds: 30,
          },
          source: { commit: 'abc123', commitTime: 500, pullRequest: 7 },
        }),
      );
      assert.equal(r.outcome, 'running');
      assert.equal(JSON.stringify(r.objects), JSON.stringify(release().objects));
      assert.equal(await store.finishRelease(keyOf(r), 'succeeded', '', 2000), true);
      assert.equal(await store.finishRelease(keyOf(r), 'failed', 'late', 3000), false);
      const got = await store.release(keyOf(r));
      assert.equal(got.outcome, 'succeeded');
      assert.equal(got.endedAt, 2000);
      assert.equal(got.migrateDown?.metadata.name, 'hcn');
      assert.equal(got.verification.jobs[0]?.metadata.name, 'smoke');
      assert.equal(got.verification.http[0]?.url, 'http://x/health');
      assert.equal(got.verification.observeSeconds, 30);
      assert.deepEqual(got.source, { commit: 'abc123', commitTime: 500, pullRequest: 7 });
    }));

  test(`${name}: every release kind round-trips, with its source release in another environment`, () =>
    withStore(async (store) => {
      const stage = await store.startRelease(release({ environment: 'stage' }));
      for (const kind of RELEASE_KINDS) {
        const source: ReleaseKey | undefined = kind === 'deploy' ? undefined : keyOf(stage);
        const r = await store.startRelease(release({ kind, sourceRelease: source }));
        const got = await store.release(keyOf(r));
        assert.equal(got.kind, kind);
        assert.deepEqual(got.sourceRelease, source);
        const [summary] = (await store.releases({ service: 'hcn', environment: 'test', limit: 1 })).items;
        assert.equal(summary?.kind, kind);
        assert.deepEqual(summary?.sourceRelease, source);
      }
    }));

  test(`${name}: history newest first; lastSuccessful skips failures and honours before`, () =>
    withStore(async (store) => {
      const a = await store.startRelease(release({ version: '1' }));
      await store.finishRelease(keyOf(a), 'succeeded', '', 1);
      const b = await store.startRelease(release({ version: '2' }));
      await store.finishRelease(keyOf(b), 'failed', 'boom', 2);
      const c = await store.startRelease(
        release({ version: '3', kind: 'rollback', sourceRelease: keyOf(a) }),
      );
      await store.finishRelease(keyOf(c), 'succeeded', '', 3);
      await store.startRelease(release({ version: 'other', service: 'web' }));
      assert.deepEqual(
        (await store.history('hcn', 'test')).map((r) => r.version),
        ['3', '2', '1'],
      );
      assert.ok(a.id < b.id && b.id < c.id, 'ids increase per service and environment');
      assert.equal((await store.lastSuccessful('hcn', 'test'))?.version, '3');
      assert.equal((await store.lastSuccessful('hcn', 'test', c.id))?.version, '1');
      assert.equal((await store.lastSuccessful('hcn', 'test', a.id))?.version, undefined);
      assert.equal((await store.latest('hcn', 'test'))?.version, '3');
      assert.deepEqual((await store.release(keyOf(c))).sourceRelease, keyOf(a));
      assert.deepEqual(
        (await store.latestPerService()).map((r) => `${r.service}:${r.version}`),
        ['hcn:3', 'web:other'],
      );
      assert.deepEqual(
        (await store.latestPerService('prod')).map((r) => r.version),
        [],
      );
    }));

  test(`${name}: summaries are cursor-paged, filtered, and carry no object bodies`, () =>
    withStore(async (store) => {
      for (const v of ['1', '2', '3', '4', '5']) {
        const r = await store.startRelease(release({ version: v }));
        await store.finishRelease(keyOf(r), v === '4' ? 'failed' : 'succeeded', '', Number(v));
      }
      const one = await store.releases({ service: 'hcn', environment: 'test', limit: 2 });
      assert.deepEqual(
        one.items.map((r) => r.version),
        ['5', '4'],
      );
      assert.ok(one.next !== undefined);
      assert.ok(!('objects' in (one.items[0] ?? {})), 'a summary has no objects');
      const two = await store.releases({ service: 'hcn', environment: 'test', limit: 2, beforeId: one.next });
      assert.deepEqual(
        two.items.map((r) => r.version),
        ['3', '2'],
      );
      const three = await store.releases({
        service: 'hcn',
        environment: 'test',
        limit: 2,
        beforeId: two.next,
      });
      assert.deepEqual(
        three.items.map((r) => r.version),
        ['1'],
      );
      assert.equal(three.next, undefined);
      const failed = await store.releases({ environment: 'test', outcome: 'failed' });
      assert.deepEqual(
        failed.items.map((r) => r.version),
        ['4'],
      );
    }));

  test(`${name}: kindsApplied is the union of kinds over every release of the service`, () =>
    withStore(async (store) => {
      await store.startRelease(release());
      await store.startRelease(
        release({ objects: [{ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'hcn-sync' } }] }),
      );
      await store.startRelease(
        release({
          service: 'web',
          objects: [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } }],
        }),
      );
      assert.deepEqual([...(await store.kindsApplied('hcn', 'test'))].sort(), ['CronJob', 'Service']);
    }));

  test(`${name}: steps numbered in order; interrupted marks running steps`, () =>
    withStore(async (store) => {
      const r = await store.startRelease(release());
      const k = keyOf(r);
      const s1 = await store.startStep(k, 'plan', 10);
      const s2 = await store.startStep(k, 'apply', 20);
      assert.deepEqual([s1.seq, s2.seq], [1, 2]);
      await store.endStep(k, s1, 'succeeded', '3 objects', 15);
      await store.markInterrupted(k, 'bob@box', 99);
      const got = await store.release(k);
      assert.equal(got.outcome, 'interrupted');
      assert.deepEqual(
        got.steps.map((s) => [s.name, s.outcome, s.endedAt]),
        [
          ['plan', 'succeeded', 15],
          ['apply', 'interrupted', 99],
        ],
      );
    }));

  test(`${name}: retention keeps the newest releases and never drops the last successful one`, () =>
    withStore(async (store) => {
      const ok = await store.startRelease(release({ version: 'ok' }));
      await store.finishRelease(keyOf(ok), 'succeeded', '', 1);
      for (const v of ['f1', 'f2', 'f3']) {
        const r = await store.startRelease(release({ version: v }));
        await store.startStep(keyOf(r), 'plan', 1);
        await store.finishRelease(keyOf(r), 'failed', 'x', 2);
      }
      assert.equal(await store.retain('hcn', 'test', 2), 1);
      assert.deepEqual(
        (await store.history('hcn', 'test')).map((r) => r.version),
        ['f3', 'f2', 'ok'],
      );
      assert.equal((await store.lastSuccessful('hcn', 'test'))?.version, 'ok');
      assert.equal(await store.retain('hcn', 'test', 5), 0);
    }));

  test(`${name}: an imported release keeps its id, steps and outcome; later ids are larger`, () =>
    withStore(async (store) => {
      const a = await store.startRelease(release());
      const imported = { ...a, id: a.id + 40, outcome: 'succeeded' as const, message: '', endedAt: 7 };
      await store.importRelease(imported, [
        { seq: 1, name: 'plan', outcome: 'succeeded', message: 'p', startedAt: 1, endedAt: 2 },
      ]);
      const got = await store.release(keyOf(imported));
      assert.equal(got.outcome, 'succeeded');
      assert.deepEqual(
        got.steps.map((s) => s.message),
        ['p'],
      );
      const next = await store.startRelease(release());
      assert.ok(next.id > imported.id, `${next.id} > ${imported.id}`);
    }));

  test(`${name}: every write is a numbered change event`, () =>
    withStore(async (store) => {
      const seen: StoreEvent[] = [];
      const off = store.subscribe((e) => seen.push(e));
      const r = await store.startRelease(release());
      const s = await store.startStep(keyOf(r), 'apply', 5);
      store.progress(keyOf(r), s, '1/2 ready', 6);
      await store.endStep(keyOf(r), s, 'succeeded', '2/2 ready', 7);
      await store.finishRelease(keyOf(r), 'succeeded', '', 8);
      off();
      await store.startRelease(release());
      assert.deepEqual(
        seen.map((e) => e.type),
        ['release.started', 'step.started', 'step.progress', 'step.ended', 'release.finished'],
      );
      assert.deepEqual(
        seen.map((e) => e.seq),
        [1, 2, 3, 4, 5].map((n) => n + (seen[0]?.seq ?? 1) - 1),
      );
      const last = seen.at(-1);
      assert.equal(last?.type === 'release.finished' ? last.release.outcome : '', 'succeeded');
    }));

  test(`${name}: a lease is exclusive across connections until it expires, then taken over`, () =>
    withStore(async (one, shared) => {
      const two = new Store(await f.open(shared));
      try {
        const first = await one.acquireLease(lease({ owner: { host: 'box', pid: 42, processStart: 9 } }));
        assert.equal(first.acquired, true);
        if (first.acquired) {
          assert.equal(first.lease.generation, 1);
          assert.deepEqual(first.lease.owner, { host: 'box', pid: 42, processStart: 9 });
        }
        const b = await two.acquireLease(lease({ holder: 'bob', token: 't2', now: 500 }));
        assert.equal(b.acquired, false);
        if (!b.acquired) assert.equal(b.current.holder, 'ann');
        assert.equal(await one.renewLease('hcn/test', 't1', 1000, 900), true);
        assert.equal(
          (await two.acquireLease(lease({ holder: 'bob', token: 't2', now: 1500 }))).acquired,
          false,
        );
        const d = await two.acquireLease(lease({ holder: 'bob', token: 't2', now: 1901 }));
        assert.equal(d.acquired, true);
        if (d.acquired) {
          assert.equal(d.previous?.holder, 'ann');
          assert.equal(d.lease.generation, 2, 'the fencing number grows with every acquisition');
        }
        assert.equal(await one.renewLease('hcn/test', 't1', 1000, 2000), false);
        await one.releaseLease('hcn/test', 't1');
        assert.equal((await two.lease('hcn/test'))?.holder, 'bob');
        await two.attachLease('hcn/test', 't2', 42);
        assert.equal((await one.lease('hcn/test'))?.releaseId, 42);
        // a live lease is taken over only from the token it names (its holder is known to be dead)
        const stale = await one.takeOverLease(lease({ holder: 'cat', token: 't3', now: 2000 }), 't1');
        assert.equal(stale.acquired, false);
        const took = await one.takeOverLease(lease({ holder: 'cat', token: 't3', now: 2000 }), 't2');
        assert.equal(took.acquired, true);
        if (took.acquired) assert.equal(took.previous?.releaseId, 42);
        await one.releaseLease('hcn/test', 't3');
        assert.equal(await two.lease('hcn/test'), undefined);
        // released and taken again: the fencing number never goes back
        const again = await two.acquireLease(lease({ holder: 'dan', token: 't4', now: 2100 }));
        assert.equal(again.acquired && again.lease.generation, 4);
        await two.releaseLease('hcn/test', 't4');
        // concurrent takers of a free lease: exactly one wins (keys are <service>/<environment>)
        const got = await Promise.all([
          one.acquireLease(lease({ key: 'web/test', holder: 'a', token: 'ta', now: 5000 })),
          two.acquireLease(lease({ key: 'web/test', holder: 'b', token: 'tb', now: 5000 })),
        ]);
        assert.equal(got.filter((g) => g.acquired).length, 1);
      } finally {
        await two.close();
      }
    }));

  test(`${name}: audit newest first, filtered`, () =>
    withStore(async (store) => {
      const e = {
        at: 1,
        actor: 'a',
        action: 'deploy',
        service: 'hcn',
        environment: 'test',
        releaseId: 1,
        detail: '',
      };
      await store.audit(e);
      await store.audit({ ...e, at: 2, action: 'rollback', releaseId: 2, detail: 'to 1' });
      await store.audit({ ...e, at: 3, service: 'web', releaseId: undefined });
      assert.deepEqual(
        (await store.auditLog({ service: 'hcn' })).map((x) => x.action),
        ['rollback', 'deploy'],
      );
      assert.equal((await store.auditLog({ service: 'web' }))[0]?.releaseId, undefined);
    }));
}

/** The team server's records, for the drivers that have them (the SQL ones). */
export function serverRecordsContract(name: string, f: DriverFactory): void {
  const withStores = async (fn: (one: Store, two: Store) => Promise<void>) => {
    const shared = `s${process.pid}x${++counter}`;
    const one = new Store(await f.open(shared));
    const two = new Store(await f.open(shared));
    try {
      await fn(one, two);
    } finally {
      await two.close();
      await one.close();
      await f.cleanup(shared);
    }
  };

  test(`${name}: requests with one coalescing key: one is inserted while it is unfinished, across connections`, () =>
    withStores(async (one, two) => {
      const r = {
        kind: 'deploy' as const,
        service: 'api',
        environment: 'stage',
        payload: { version: '1.0.1' },
        requestedBy: 'autodeploy/ghcr',
        tokenId: undefined,
        approvalsNeeded: 0,
        createdAt: 1,
      };
      const got = await Promise.all(
        [one, two, one, two, one, two].map((s) => s.server().insertRequestOnce(r, 'k')),
      );
      assert.equal(got.filter((g) => g.inserted).length, 1);
      assert.equal(new Set(got.map((g) => g.request.id)).size, 1, 'every caller is told the same request');
      const other = await one.server().insertRequestOnce(r, 'other key');
      assert.equal(other.inserted, true);
      assert.notEqual(other.request.id, got[0]?.request.id);
      // a plain insert is never coalesced
      await one.server().insertRequest(r);
      assert.equal((await one.server().listRequests({ service: 'api' })).length, 3);
      // once the holder is finished the key is free again
      await one.server().cancelRequest(got[0]!.request.id, 2);
      const again = await two.server().insertRequestOnce(r, 'k');
      assert.equal(again.inserted, true);
      assert.notEqual(again.request.id, got[0]?.request.id);
    }));

  const batchOf = (services: string[], waits: number[][], parallel: number) => ({
    requests: services.map((service) => ({
      kind: 'deploy' as const,
      service,
      environment: 'stage',
      payload: { version: '1.0.0' },
      requestedBy: 'ci',
      tokenId: undefined,
      approvalsNeeded: 0,
      createdAt: 1,
    })),
    waits,
    parallel,
  });

  test(`${name}: a batch's request is claimed only once all it waits for succeeded, up to its parallel`, () =>
    withStores(async (one, two) => {
      const [schema, api, web, docs] = await one
        .server()
        .insertBatch(batchOf(['schema', 'api', 'web', 'docs'], [[], [0], [1], []], 2));
      assert.deepEqual(api?.waitsFor, [schema?.id]);
      assert.deepEqual(
        [schema, api, web, docs].map((r) => r?.batch),
        [schema?.id, schema?.id, schema?.id, schema?.id],
      );
      const first = await one.server().claimRequest('w1', 60_000, 10);
      const second = await two.server().claimRequest('w2', 60_000, 10);
      assert.deepEqual([first?.service, second?.service], ['schema', 'docs'], 'api and web wait');
      assert.equal(await one.server().claimRequest('w1', 60_000, 10), undefined);
      const claim = (r: { id: number; leaseGeneration: number } | undefined, owner: string) => ({
        id: r!.id,
        owner,
        generation: r!.leaseGeneration,
      });
      await two.server().finishRequest(claim(second, 'w2'), 'succeeded', 'ok', 11);
      assert.equal(
        await two.server().claimRequest('w2', 60_000, 12),
        undefined,
        'api still waits for schema',
      );
      await one.server().finishRequest(claim(first, 'w1'), 'succeeded', 'ok', 13);
      const third = await two.server().claimRequest('w2', 60_000, 14);
      assert.equal(third?.service, 'api');
      // api fails: web, behind it, ends cancelled and says why
      await two.server().finishRequest(claim(third, 'w2'), 'failed', 'rollout failed', 15);
      const w = await one.server().getRequest(web!.id);
      assert.equal(w?.state, 'cancelled');
      assert.deepEqual(w?.notStarted, { reason: 'dependency', blockedBy: api!.id });
      assert.match(w?.message ?? '', /comes after api \(request \d+\), which ended failed/);
      assert.equal(w?.endedAt, 15);
    }));

  test(`${name}: a failure in a batch starts nothing new; a cancel ends its dependants`, () =>
    withStores(async (one, two) => {
      const [a, b, c] = await one.server().insertBatch(batchOf(['a', 'b', 'c'], [[], [0], []], 1));
      const got = await one.server().claimRequest('w1', 60_000, 10);
      assert.equal(got?.id, a?.id);
      assert.equal(await two.server().claimRequest('w2', 60_000, 10), undefined, 'parallel 1: c waits');
      await one
        .server()
        .finishRequest({ id: a!.id, owner: 'w1', generation: got!.leaseGeneration }, 'failed', 'x', 11);
      const [bb, cc] = await Promise.all([b, c].map((r) => two.server().getRequest(r!.id)));
      assert.deepEqual(
        [bb?.state, bb?.notStarted, cc?.state, cc?.notStarted],
        [
          'cancelled',
          { reason: 'dependency', blockedBy: a!.id },
          'cancelled',
          { reason: 'stopped', blockedBy: a!.id },
        ],
      );
      assert.equal(await two.server().claimRequest('w2', 60_000, 12), undefined);
      // cancelling a queued request ends its dependants (through others too) the same way
      const [x, y, z] = await two.server().insertBatch(batchOf(['x', 'y', 'z'], [[], [0], [1]], 4));
      await one.server().cancelRequest(x!.id, 20);
      const [yy, zz] = await Promise.all([y, z].map((r) => one.server().getRequest(r!.id)));
      assert.deepEqual(
        [yy?.notStarted, zz?.notStarted],
        [
          { reason: 'dependency', blockedBy: x!.id },
          { reason: 'dependency', blockedBy: x!.id },
        ],
      );
      assert.equal((await one.server().listRequests({ batch: x!.id })).length, 3);
      // a request of a batch may wait only for one before it
      await assert.rejects(one.server().insertBatch(batchOf(['p', 'q'], [[1], []], 1)));
      assert.equal((await one.server().listRequests({ service: 'q' })).length, 0, 'nothing half-inserted');
    }));
}
