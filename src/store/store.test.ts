import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, defaultStatePath } from './store.ts';
import { SqliteDriver } from './sqlite.ts';
import { ReleaseNotFoundError } from './errors.ts';
import { driverContract, release } from './driver-contract.ts';

const dirs = new Map<string, string>();
driverContract('sqlite', {
  async open(shared) {
    let dir = dirs.get(shared);
    if (!dir) {
      dir = mkdtempSync(join(tmpdir(), 'ferry-store-'));
      dirs.set(shared, dir);
    }
    const d = new SqliteDriver(join(dir, 'state.db'));
    await d.migrate();
    return d;
  },
  async cleanup(shared) {
    const dir = dirs.get(shared);
    if (dir) rmSync(dir, { recursive: true, force: true });
    dirs.delete(shared);
  },
});

test('sqlite: migrations apply once, by id, across reopenings', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-store-'));
  try {
    const d = new SqliteDriver(join(dir, 'state.db'));
    assert.deepEqual(await d.migrate(), ['0001-init']);
    assert.deepEqual(await d.migrate(), []);
    await d.close();
    const again = new SqliteDriver(join(dir, 'state.db'));
    assert.deepEqual(await again.migrate(), []);
    await again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unknown release id is ReleaseNotFoundError (exit 2)', async () => {
  const store = await openStore(':memory:');
  try {
    await assert.rejects(
      store.release(999),
      (e: unknown) => e instanceof ReleaseNotFoundError && e.kind === 'not-found',
    );
  } finally {
    await store.close();
  }
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

test('defaultStatePath honours FERRY_STATE', () => {
  assert.equal(defaultStatePath('/repo', {}), '/repo/.ferry/state.db');
  assert.equal(defaultStatePath('/repo', { FERRY_STATE: '/x.db' }), '/x.db');
});
