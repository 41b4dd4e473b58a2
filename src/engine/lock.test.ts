import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { release } from '../store/driver-contract.ts';
import { openStore } from '../store/open.ts';
import { keyOf } from '../store/types.ts';
import { DeployLock, defaultLeaseMs } from './lock.ts';
import { LockHeldError } from './errors.ts';
import { processStart, provablyDead } from './process-owner.ts';

const hcn = { service: 'hcn', environment: 'test' };
const k = { service: 'k', environment: 'e' };

test('a second holder gets LockHeldError naming the holder', async () => {
  const store = await openStore(':memory:');
  const a = await DeployLock.acquire(store, hcn, 'ann@box', { ttlMs: 10_000, waitMs: 0 });
  try {
    await assert.rejects(
      DeployLock.acquire(store, hcn, 'bob@box', { ttlMs: 10_000, waitMs: 0 }),
      (e: unknown) => e instanceof LockHeldError && /ann@box/.test(e.message) && e.kind === 'conflict',
    );
  } finally {
    await a.release();
    await store.close();
  }
});

test('waiting for the lock succeeds once the holder releases it', async () => {
  const store = await openStore(':memory:');
  const a = await DeployLock.acquire(store, k, 'ann', { ttlMs: 10_000, waitMs: 0 });
  setTimeout(() => void a.release(), 150);
  const t0 = Date.now();
  const b = await DeployLock.acquire(store, k, 'bob', { ttlMs: 10_000, waitMs: 5000 });
  assert.ok(Date.now() - t0 >= 100);
  await b.release();
  await store.close();
});

test('an expired lease is taken over and its release marked interrupted', async () => {
  const store = await openStore(':memory:');
  let clock = 1000;
  const now = () => clock;
  const dead = await DeployLock.acquire(store, k, 'ann', { ttlMs: 1000, waitMs: 0, now });
  const r = await store.startRelease(release({ service: 'k', environment: 'e' }));
  await dead.attach(r.id);
  await store.startStep(keyOf(r), 'track', 1000);
  // the holder dies: no more heartbeats (we stop its timer without releasing the lease)
  (dead as unknown as { timer: NodeJS.Timeout }).timer.close();
  clock = 1500;
  await assert.rejects(DeployLock.acquire(store, k, 'bob', { ttlMs: 1000, waitMs: 0, now }), LockHeldError);
  clock = 2001;
  const b = await DeployLock.acquire(store, k, 'bob', { ttlMs: 1000, waitMs: 0, now });
  assert.equal(b.tookOver?.lease.holder, 'ann');
  assert.equal(b.tookOver?.reason, 'expired');
  const got = await store.release(keyOf(r));
  assert.equal(got.outcome, 'interrupted');
  assert.equal(got.steps[0]?.outcome, 'interrupted');
  await b.release();
  await store.close();
});

test('heartbeats keep the lease alive past its ttl', async () => {
  const store = await openStore(':memory:');
  const a = await DeployLock.acquire(store, k, 'ann', { ttlMs: 300, waitMs: 0 });
  await new Promise((r) => setTimeout(r, 700));
  await assert.rejects(DeployLock.acquire(store, k, 'bob', { ttlMs: 300, waitMs: 0 }), LockHeldError);
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
  const a = await DeployLock.acquire(store, k, 'ann', {
    ttlMs: 300,
    waitMs: 0,
    onLost: () => {
      lost = true;
    },
  });
  // someone frees and takes the lease behind ann's back (e.g. an operator, or a long GC pause + expiry)
  await store.releaseLease('k/e', a.lease.token);
  const b = await DeployLock.acquire(store, k, 'bob', { ttlMs: 10_000, waitMs: 0 });
  await new Promise((r) => setTimeout(r, 250));
  assert.equal(lost, true);
  await a.release(); // a stale token frees nothing
  assert.equal((await store.lease('k/e'))?.holder, 'bob');
  await b.release();
  await store.close();
});

test('a lease whose holder on this host is gone is taken over at once, long before it expires', async () => {
  const store = await openStore(':memory:');
  // a real process that has exited: its pid is free
  const gone = spawnSync(process.execPath, ['-e', '0']).pid;
  assert.ok(gone);
  const dead = await DeployLock.acquire(store, k, 'ann', {
    ttlMs: 600_000,
    waitMs: 0,
    owner: { host: hostname(), pid: gone, processStart: 1 },
  });
  const r = await store.startRelease(release({ service: 'k', environment: 'e' }));
  await dead.attach(r.id);
  (dead as unknown as { timer: NodeJS.Timeout }).timer.close();
  const t0 = Date.now();
  const b = await DeployLock.acquire(store, k, 'bob', { ttlMs: 600_000, waitMs: 0 });
  assert.ok(Date.now() - t0 < 1000);
  assert.equal(b.tookOver?.reason, 'holder-gone');
  assert.equal((await store.release(keyOf(r))).outcome, 'interrupted');
  await b.release();
  // a holder on another host, or a live process here, is never taken for dead
  const other = await DeployLock.acquire(store, k, 'cat', {
    ttlMs: 600_000,
    waitMs: 0,
    owner: { host: 'elsewhere', pid: gone, processStart: 1 },
  });
  await assert.rejects(DeployLock.acquire(store, k, 'dan', { ttlMs: 600_000, waitMs: 0 }), LockHeldError);
  await other.release();
  await store.close();
});

test('a live process is not dead; a reused pid with another start time is', () => {
  const me = { host: hostname(), pid: process.ppid, processStart: processStart(process.ppid) };
  assert.equal(provablyDead(me), false);
  assert.equal(
    provablyDead({ ...me, processStart: (me.processStart ?? 0) + 1 }),
    me.processStart !== undefined,
  );
  assert.equal(provablyDead(undefined), false);
});

test('a holder killed between starting its release and attaching it to the lease: the takeover still marks that release interrupted', async () => {
  // the window between store.startRelease and lock.attach in the release pipeline: the lease names
  // no release yet, but one is recorded `running` — it must not stay running forever
  const store = await openStore(':memory:');
  const gone = spawnSync(process.execPath, ['-e', '0']).pid;
  assert.ok(gone);
  const dead = await DeployLock.acquire(store, k, 'ann', {
    ttlMs: 600_000,
    waitMs: 0,
    owner: { host: hostname(), pid: gone, processStart: 1 },
  });
  const r = await store.startRelease(release({ service: 'k', environment: 'e' }));
  await store.startStep(keyOf(r), 'plan', 1000);
  (dead as unknown as { timer: NodeJS.Timeout }).timer.close();
  const b = await DeployLock.acquire(store, k, 'bob', { ttlMs: 600_000, waitMs: 0 });
  assert.equal(b.tookOver?.reason, 'holder-gone');
  assert.equal(b.tookOver?.lease.releaseId, undefined, 'the lease named no release');
  const got = await store.release(keyOf(r));
  assert.equal(got.outcome, 'interrupted');
  assert.equal(got.steps[0]?.outcome, 'interrupted');
  await b.release();
  // a release of another service is not touched
  const other = await store.startRelease(release({ service: 'other', environment: 'e' }));
  const c = await DeployLock.acquire(store, k, 'cat', { ttlMs: 600_000, waitMs: 0 });
  assert.equal((await store.release(keyOf(other))).outcome, 'running');
  await c.release();
  await store.close();
});

test('a takeover that resumes (a cut-over runbook) leaves the dead holder’s running record as it is', async () => {
  const store = await openStore(':memory:');
  const gone = spawnSync(process.execPath, ['-e', '0']).pid;
  assert.ok(gone);
  const dead = await DeployLock.acquire(store, k, 'ann', {
    ttlMs: 600_000,
    waitMs: 0,
    owner: { host: hostname(), pid: gone, processStart: 1 },
  });
  const r = await store.startRelease(release({ service: 'k', environment: 'e' }));
  await dead.attach(r.id);
  (dead as unknown as { timer: NodeJS.Timeout }).timer.close();
  const b = await DeployLock.acquire(store, k, 'bob', { ttlMs: 600_000, waitMs: 0, resumes: true });
  assert.equal(b.tookOver?.reason, 'holder-gone');
  assert.equal((await store.release(keyOf(r))).outcome, 'running', 'the new holder resumes it');
  await b.release();
  await store.close();
});
