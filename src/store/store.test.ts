import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReleaseNotFoundError } from './errors.ts';
import { driverContract, release, serverRecordsContract, type DriverFactory } from './driver-contract.ts';
import { localStatePath, openStore, parseStoreLocation, storeLocation } from './open.ts';
import { positional, sqliteDriver } from './sqlite.ts';
import { sqliteMigrations } from './sql-schema.ts';
import { keyOf } from './types.ts';

const dirs = new Map<string, string>();
const sqliteFactory: DriverFactory = {
  async open(shared) {
    let dir = dirs.get(shared);
    if (!dir) {
      dir = mkdtempSync(join(tmpdir(), 'ferry-store-'));
      dirs.set(shared, dir);
    }
    const d = sqliteDriver(join(dir, 'state.db'));
    await d.migrate();
    return d;
  },
  async cleanup(shared) {
    const dir = dirs.get(shared);
    if (dir) rmSync(dir, { recursive: true, force: true });
    dirs.delete(shared);
  },
};
driverContract('sqlite', sqliteFactory);
serverRecordsContract('sqlite', sqliteFactory);

test('sqlite: migrations apply once, by id, across reopenings', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-store-'));
  try {
    const d = sqliteDriver(join(dir, 'state.db'));
    assert.deepEqual(
      await d.migrate(),
      sqliteMigrations.map((m) => m.id),
    );
    assert.deepEqual(await d.migrate(), []);
    await d.close();
    const again = sqliteDriver(join(dir, 'state.db'));
    assert.deepEqual(await again.migrate(), []);
    await again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unknown release is ReleaseNotFoundError (not-found)', async () => {
  const store = await openStore(':memory:');
  try {
    await assert.rejects(
      store.release({ service: 'hcn', environment: 'test', id: 999 }),
      (e: unknown) => e instanceof ReleaseNotFoundError && e.kind === 'not-found',
    );
    // a release is found only under its own service and environment
    const r = await store.startRelease(release());
    await assert.rejects(store.release({ ...keyOf(r), environment: 'prod' }), ReleaseNotFoundError);
  } finally {
    await store.close();
  }
});

test('$n placeholders become positional ones, repeated ones included', () => {
  assert.deepEqual(positional('a = $1 AND b = $2 OR c = $1', ['x', 'y']), {
    sql: 'a = ? AND b = ? OR c = ?',
    args: ['x', 'y', 'x'],
  });
});

test('FERRY_STATE picks the store: a path or sqlite:, postgres://, kubernetes; without it the cluster for cluster commands', () => {
  assert.deepEqual(parseStoreLocation('/x.db'), { kind: 'sqlite', path: '/x.db' });
  assert.deepEqual(parseStoreLocation('sqlite:/x.db'), { kind: 'sqlite', path: '/x.db' });
  assert.deepEqual(parseStoreLocation('postgres://u@h/db'), { kind: 'postgres', url: 'postgres://u@h/db' });
  assert.deepEqual(parseStoreLocation('kubernetes'), { kind: 'kubernetes' });
  assert.deepEqual(storeLocation('/repo', {}, true), { kind: 'kubernetes' });
  assert.deepEqual(storeLocation('/repo', {}, false), { kind: 'sqlite', path: localStatePath('/repo') });
  assert.deepEqual(storeLocation('/repo', { FERRY_STATE: '/x.db' }, true), { kind: 'sqlite', path: '/x.db' });
  assert.equal(localStatePath('/repo'), '/repo/.ferry/state.db');
});
