import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, defaultStatePath } from './store.ts';
import { SqliteDriver } from './sqlite.ts';
import type { NewRelease } from './types.ts';
import { ReleaseNotFoundError } from './errors.ts';

function release(over: Partial<NewRelease> = {}): NewRelease {
  return {
    service: 'hcn',
    environment: 'test',
    namespace: 'test',
    version: '1.0.0',
    manifestDigest: 'abc',
    kind: 'deploy',
    sourceRelease: undefined,
    actor: 'ann@box',
    objects: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'hcn', namespace: 'test' } }],
    migrateDown: undefined,
    startedAt: 1000,
    ...over,
  };
}

function tempDb(): { path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-store-'));
  return { path: join(dir, 'state.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test('migrations apply once, by id', async () => {
  const { path, cleanup } = tempDb();
  try {
    const d = new SqliteDriver(path);
    assert.deepEqual(await d.migrate(), ['0001-init']);
    assert.deepEqual(await d.migrate(), []);
    await d.close();
    const again = new SqliteDriver(path);
    assert.deepEqual(await again.migrate(), []);
    await again.close();
  } finally {
    cleanup();
  }
});

test('a release is stored verbatim and finishes exactly once', async () => {
  const { path, cleanup } = tempDb();
  const store = await openStore(path);
  try {
    const r = await store.driver.insertRelease(release());
    assert.equal(r.outcome, 'running');
    assert.deepEqual(r.objects, release().objects);
    assert.equal(await store.driver.finishRelease(r.id, 'succeeded', '', 2000), true);
    assert.equal(await store.driver.finishRelease(r.id, 'failed', 'late', 3000), false);
    const got = await store.release(r.id);
    assert.equal(got.outcome, 'succeeded');
    assert.equal(got.endedAt, 2000);
  } finally {
    await store.close();
    cleanup();
  }
});

test('history is newest first and lastSuccessful skips failures and honours before', async () => {
  const { path, cleanup } = tempDb();
  const store = await openStore(path);
  try {
    const a = await store.driver.insertRelease(release({ version: '1' }));
    await store.finish(a.id, 'succeeded', '', 1);
    const b = await store.driver.insertRelease(release({ version: '2' }));
    await store.finish(b.id, 'failed', 'boom', 2);
    const c = await store.driver.insertRelease(release({ version: '3' }));
    await store.finish(c.id, 'succeeded', '', 3);
    await store.driver.insertRelease(release({ version: 'other', service: 'web' }));
    const h = await store.history('hcn', 'test');
    assert.deepEqual(
      h.map((r) => r.version),
      ['3', '2', '1'],
    );
    assert.equal((await store.lastSuccessful('hcn', 'test'))?.version, '3');
    assert.equal((await store.lastSuccessful('hcn', 'test', c.id))?.version, '1');
    assert.equal(await store.lastSuccessful('nope', 'test'), undefined);
    const latest = await store.latestPerService();
    assert.deepEqual(
      latest.map((r) => `${r.service}:${r.version}`),
      ['hcn:3', 'web:other'],
    );
    await assert.rejects(store.release(999), ReleaseNotFoundError);
  } finally {
    await store.close();
    cleanup();
  }
});

test('steps are numbered in order and finish with outcome and message', async () => {
  const { path, cleanup } = tempDb();
  const store = await openStore(path);
  try {
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
  } finally {
    await store.close();
    cleanup();
  }
});

test('a lease is exclusive until it expires, then taken over', async () => {
  const { path, cleanup } = tempDb();
  const one = await openStore(path);
  const two = await openStore(path); // a second connection, like a second process
  try {
    const a = await one.driver.acquireLease('hcn/test', 'ann', 't1', 1000, 0);
    assert.equal(a.acquired, true);
    const b = await two.driver.acquireLease('hcn/test', 'bob', 't2', 1000, 500);
    assert.equal(b.acquired, false);
    if (!b.acquired) assert.equal(b.current.holder, 'ann');
    assert.equal(await one.driver.renewLease('hcn/test', 't1', 1000, 900), true);
    const c = await two.driver.acquireLease('hcn/test', 'bob', 't2', 1000, 1500);
    assert.equal(c.acquired, false, 'renewed lease still held');
    const d = await two.driver.acquireLease('hcn/test', 'bob', 't2', 1000, 1901);
    assert.equal(d.acquired, true);
    if (d.acquired) assert.equal(d.previous?.holder, 'ann');
    assert.equal(await one.driver.renewLease('hcn/test', 't1', 1000, 2000), false, 'the old holder lost it');
    await one.driver.releaseLease('hcn/test', 't1');
    assert.equal((await two.driver.getLease('hcn/test'))?.holder, 'bob', 'a stale token cannot release');
    await two.driver.releaseLease('hcn/test', 't2');
    assert.equal(await two.driver.getLease('hcn/test'), undefined);
  } finally {
    await one.close();
    await two.close();
    cleanup();
  }
});

test('audit entries are listed newest first, filtered', async () => {
  const store = await openStore(':memory:');
  try {
    await store.driver.appendAudit({
      at: 1,
      actor: 'a',
      action: 'deploy',
      service: 'hcn',
      environment: 'test',
      releaseId: 1,
      detail: '',
    });
    await store.driver.appendAudit({
      at: 2,
      actor: 'a',
      action: 'rollback',
      service: 'hcn',
      environment: 'test',
      releaseId: 2,
      detail: 'to 1',
    });
    await store.driver.appendAudit({
      at: 3,
      actor: 'a',
      action: 'deploy',
      service: 'web',
      environment: 'test',
      releaseId: 3,
      detail: '',
    });
    const got = await store.driver.listAudit({ service: 'hcn' });
    assert.deepEqual(
      got.map((e) => e.action),
      ['rollback', 'deploy'],
    );
  } finally {
    await store.close();
  }
});

test('defaultStatePath honours FERRY_STATE', () => {
  assert.equal(defaultStatePath('/repo', {}), '/repo/.ferry/state.db');
  assert.equal(defaultStatePath('/repo', { FERRY_STATE: '/x.db' }), '/x.db');
});

test('kindsApplied is the union of kinds over every release of the service', async () => {
  const store = await openStore(':memory:');
  try {
    await store.driver.insertRelease(release());
    await store.driver.insertRelease(
      release({ objects: [{ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'hcn-sync' } }] }),
    );
    await store.driver.insertRelease(
      release({
        service: 'web',
        objects: [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } }],
      }),
    );
    assert.deepEqual([...(await store.kindsApplied('hcn', 'test'))].sort(), ['CronJob', 'Service']);
  } finally {
    await store.close();
  }
});
