// The behaviour every StoreDriver must have, as a test suite any driver's tests run:
// src/store/store.test.ts (SQLite) and test/store/postgres.test.ts (PostgreSQL).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Store } from './store.ts';
import type { NewRelease, StoreDriver } from './types.ts';

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
    startedAt: 1000,
    ...over,
  };
}

let counter = 0;

export function driverContract(name: string, f: DriverFactory): void {
  const withStore = async (fn: (s: Store, shared: string) => Promise<void>) => {
    const shared = `c${process.pid}_${++counter}`;
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
      const r = await store.driver.insertRelease(release({ migrateDown: release().objects[0] }));
      assert.equal(r.outcome, 'running');
      assert.equal(JSON.stringify(r.objects), JSON.stringify(release().objects));
      assert.equal(await store.driver.finishRelease(r.id, 'succeeded', '', 2000), true);
      assert.equal(await store.driver.finishRelease(r.id, 'failed', 'late', 3000), false);
      const got = await store.release(r.id);
      assert.equal(got.outcome, 'succeeded');
      assert.equal(got.endedAt, 2000);
      assert.equal(got.migrateDown?.metadata.name, 'hcn');
    }));

  test(`${name}: history newest first; lastSuccessful skips failures and honours before`, () =>
    withStore(async (store) => {
      const a = await store.driver.insertRelease(release({ version: '1' }));
      await store.finish(a.id, 'succeeded', '', 1);
      const b = await store.driver.insertRelease(release({ version: '2' }));
      await store.finish(b.id, 'failed', 'boom', 2);
      const c = await store.driver.insertRelease(
        release({ version: '3', kind: 'rollback', sourceRelease: a.id }),
      );
      await store.finish(c.id, 'succeeded', '', 3);
      await store.driver.insertRelease(release({ version: 'other', service: 'web' }));
      assert.deepEqual(
        (await store.history('hcn', 'test')).map((r) => r.version),
        ['3', '2', '1'],
      );
      assert.equal((await store.lastSuccessful('hcn', 'test'))?.version, '3');
      assert.equal((await store.lastSuccessful('hcn', 'test', c.id))?.version, '1');
      assert.equal((await store.release(c.id)).sourceRelease, a.id);
      assert.deepEqual(
        (await store.latestPerService()).map((r) => `${r.service}:${r.version}`),
        ['hcn:3', 'web:other'],
      );
    }));

  test(`${name}: steps numbered in order; interrupted marks running steps`, () =>
    withStore(async (store) => {
      const r = await store.driver.insertRelease(release());
      const s1 = await store.driver.insertStep(r.id, 'plan', 10);
      const s2 = await store.driver.insertStep(r.id, 'apply', 20);
      assert.deepEqual([s1.seq, s2.seq], [1, 2]);
      await store.driver.finishStep(r.id, 1, 'succeeded', '3 objects', 15);
      await store.markInterrupted(r.id, 'bob@box', 99);
      const got = await store.release(r.id);
      assert.equal(got.outcome, 'interrupted');
      assert.deepEqual(
        got.steps.map((s) => [s.name, s.outcome, s.endedAt]),
        [
          ['plan', 'succeeded', 15],
          ['apply', 'interrupted', 99],
        ],
      );
    }));

  test(`${name}: a lease is exclusive across connections until it expires, then taken over`, () =>
    withStore(async (one, shared) => {
      const two = new Store(await f.open(shared));
      try {
        assert.equal((await one.driver.acquireLease('hcn/test', 'ann', 't1', 1000, 0)).acquired, true);
        const b = await two.driver.acquireLease('hcn/test', 'bob', 't2', 1000, 500);
        assert.equal(b.acquired, false);
        if (!b.acquired) assert.equal(b.current.holder, 'ann');
        assert.equal(await one.driver.renewLease('hcn/test', 't1', 1000, 900), true);
        assert.equal((await two.driver.acquireLease('hcn/test', 'bob', 't2', 1000, 1500)).acquired, false);
        const d = await two.driver.acquireLease('hcn/test', 'bob', 't2', 1000, 1901);
        assert.equal(d.acquired, true);
        if (d.acquired) assert.equal(d.previous?.holder, 'ann');
        assert.equal(await one.driver.renewLease('hcn/test', 't1', 1000, 2000), false);
        await one.driver.releaseLease('hcn/test', 't1');
        assert.equal((await two.driver.getLease('hcn/test'))?.holder, 'bob');
        await two.driver.setLeaseRelease('hcn/test', 't2', 42);
        assert.equal((await one.driver.getLease('hcn/test'))?.releaseId, 42);
        await two.driver.releaseLease('hcn/test', 't2');
        assert.equal(await two.driver.getLease('hcn/test'), undefined);
        // concurrent takers of a free lease: exactly one wins
        const got = await Promise.all([
          one.driver.acquireLease('x', 'a', 'ta', 1000, 5000),
          two.driver.acquireLease('x', 'b', 'tb', 1000, 5000),
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
      await store.driver.appendAudit(e);
      await store.driver.appendAudit({ ...e, at: 2, action: 'rollback', releaseId: 2, detail: 'to 1' });
      await store.driver.appendAudit({ ...e, at: 3, service: 'web', releaseId: undefined });
      assert.deepEqual(
        (await store.driver.listAudit({ service: 'hcn' })).map((x) => x.action),
        ['rollback', 'deploy'],
      );
      assert.equal((await store.driver.listAudit({ service: 'web' }))[0]?.releaseId, undefined);
    }));
}
