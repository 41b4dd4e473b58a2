import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../store/store.ts';
import { DeployLock, defaultLeaseMs, leaseKey } from './lock.ts';
import { LockHeldError } from './errors.ts';

const release = {
  service: 'hcn',
  environment: 'test',
  namespace: 'test',
  version: '1',
  manifestDigest: 'd',
  kind: 'deploy' as const,
  sourceRelease: undefined,
  actor: 'ann',
  objects: [],
  migrateDown: undefined,
  startedAt: 0,
};

test('a second holder gets LockHeldError naming the holder', async () => {
  const store = await openStore(':memory:');
  const a = await DeployLock.acquire(store, leaseKey('hcn', 'test'), 'ann@box', { ttlMs: 10_000, waitMs: 0 });
  try {
    await assert.rejects(
      DeployLock.acquire(store, leaseKey('hcn', 'test'), 'bob@box', { ttlMs: 10_000, waitMs: 0 }),
      (e: unknown) => e instanceof LockHeldError && /ann@box/.test(e.message) && e.kind === 'conflict',
    );
  } finally {
    await a.release();
    await store.close();
  }
});

test('waiting for the lock succeeds once the holder releases it', async () => {
  const store = await openStore(':memory:');
  const a = await DeployLock.acquire(store, 'k', 'ann', { ttlMs: 10_000, waitMs: 0 });
  setTimeout(() => void a.release(), 150);
  const t0 = Date.now();
  const b = await DeployLock.acquire(store, 'k', 'bob', { ttlMs: 10_000, waitMs: 5000 });
  assert.ok(Date.now() - t0 >= 100);
  await b.release();
  await store.close();
});

test('an expired lease is taken over and its release marked interrupted', async () => {
  const store = await openStore(':memory:');
  let clock = 1000;
  const now = () => clock;
  const dead = await DeployLock.acquire(store, 'k', 'ann', { ttlMs: 1000, waitMs: 0, now });
  const r = await store.driver.insertRelease(release);
  await dead.attach(r.id);
  await store.driver.insertStep(r.id, 'track', 1000);
  // the holder dies: no more heartbeats (we stop its timer without releasing the lease)
  (dead as unknown as { timer: NodeJS.Timeout }).timer.close();
  clock = 1500;
  await assert.rejects(DeployLock.acquire(store, 'k', 'bob', { ttlMs: 1000, waitMs: 0, now }), LockHeldError);
  clock = 2001;
  const b = await DeployLock.acquire(store, 'k', 'bob', { ttlMs: 1000, waitMs: 0, now });
  assert.equal(b.tookOver?.holder, 'ann');
  const got = await store.release(r.id);
  assert.equal(got.outcome, 'interrupted');
  assert.equal(got.steps[0]?.outcome, 'interrupted');
  await b.release();
  await store.close();
});

test('heartbeats keep the lease alive past its ttl', async () => {
  const store = await openStore(':memory:');
  const a = await DeployLock.acquire(store, 'k', 'ann', { ttlMs: 300, waitMs: 0 });
  await new Promise((r) => setTimeout(r, 700));
  await assert.rejects(DeployLock.acquire(store, 'k', 'bob', { ttlMs: 300, waitMs: 0 }), LockHeldError);
  await a.release();
  await store.close();
});

test('lease duration comes from FERRY_LEASE_SECONDS', () => {
  assert.equal(defaultLeaseMs({}), 30_000);
  assert.equal(defaultLeaseMs({ FERRY_LEASE_SECONDS: '2' }), 2000);
});

test('a holder whose lease was taken is told (onLost) at its next heartbeat', async () => {
  const store = await openStore(':memory:');
  let lost = false;
  const a = await DeployLock.acquire(store, 'k', 'ann', {
    ttlMs: 300,
    waitMs: 0,
    onLost: () => {
      lost = true;
    },
  });
  // someone frees and takes the lease behind ann's back (e.g. an operator, or a long GC pause + expiry)
  await store.driver.releaseLease('k', a.lease.token);
  const b = await DeployLock.acquire(store, 'k', 'bob', { ttlMs: 10_000, waitMs: 0 });
  await new Promise((r) => setTimeout(r, 250));
  assert.equal(lost, true);
  await a.release(); // a stale token frees nothing
  assert.equal((await store.driver.getLease('k'))?.holder, 'bob');
  await b.release();
  await store.close();
});
