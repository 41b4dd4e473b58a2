import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FerryError } from '../errors.ts';
import { release } from './driver-contract.ts';
import { seedHistory as seed, storeSnapshot as snapshot } from './history-fixture.ts';
import { migrateHistory, type MigrateEvent } from './migrate.ts';
import { openStore } from './open.ts';
import type { Store } from './store.ts';
import { keyOf } from './types.ts';

async function withStores(fn: (from: Store, to: Store, dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-migrate-'));
  const from = await openStore(join(dir, 'from.db'));
  const to = await openStore(join(dir, 'to.db'));
  try {
    await fn(from, to, dir);
  } finally {
    await from.close();
    await to.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('migrate moves every release with its steps, ids and outcomes, and the audit; later ids are larger', () =>
  withStores(async (from, to) => {
    await seed(from);
    const events: MigrateEvent[] = [];
    const result = await migrateHistory(from, to, { onProgress: (e) => events.push(e) });
    assert.deepEqual(result.releases, { total: 5, moved: 5, present: 0 });
    assert.deepEqual(result.audit, { total: 7, moved: 7, present: 0 });
    assert.deepEqual(
      result.pairs.map((p) => `${p.service}/${p.environment}:${p.moved}`),
      ['hcn/prod:1', 'hcn/test:3', 'web/test:1'],
    );
    assert.deepEqual(
      events.map((e) => e.type),
      ['planned', 'pair', 'pair', 'pair', 'audit'],
    );
    assert.deepEqual(await snapshot(to), await snapshot(from));
    const next = await to.startRelease(release());
    assert.ok(next.id > 5, `${next.id}`);
  }));

test('a second run moves nothing and duplicates nothing', () =>
  withStores(async (from, to) => {
    await seed(from);
    await migrateHistory(from, to);
    const again = await migrateHistory(from, to);
    assert.deepEqual(again.releases, { total: 5, moved: 0, present: 5 });
    assert.deepEqual(again.audit, { total: 7, moved: 0, present: 7 });
    assert.deepEqual(await snapshot(to), await snapshot(from));
  }));

test('a run stopped halfway leaves whole releases only; the next run completes it', () =>
  withStores(async (from, to) => {
    await seed(from);
    const ac = new AbortController();
    await assert.rejects(
      migrateHistory(from, to, {
        signal: ac.signal,
        onProgress: (e) => {
          if (e.type === 'pair') ac.abort(); // after the first pair
        },
      }),
      (e: unknown) => e instanceof FerryError && e.code === 'E_CANCELLED',
    );
    const partial = await snapshot(to);
    assert.equal(partial.releases.length, 1, 'hcn/prod moved, nothing else');
    assert.equal(partial.audit.length, 0);
    const rest = await migrateHistory(from, to);
    assert.deepEqual(rest.releases, { total: 5, moved: 4, present: 1 });
    assert.deepEqual(await snapshot(to), await snapshot(from));
  }));

test('a running release or a different release under the same key is refused before anything moves', () =>
  withStores(async (from, to) => {
    await seed(from);
    const running = await from.startRelease(release({ service: 'web', version: '2' }));
    await assert.rejects(
      migrateHistory(from, to),
      (e: unknown) =>
        e instanceof FerryError &&
        e.code === 'E_MIGRATE_RUNNING' &&
        e.message.includes(`web/test#${running.id}`),
    );
    assert.deepEqual((await snapshot(to)).releases, []);
    await from.finishRelease(keyOf(running), 'succeeded', '', 9);

    // the target already numbers a release 1 of hcn in test, and it is another one
    await to.startRelease(release({ version: 'other', startedAt: 12345 }));
    await assert.rejects(
      migrateHistory(from, to),
      (e: unknown) =>
        e instanceof FerryError && e.code === 'E_MIGRATE_CONFLICT' && /hcn\/test#1/.test(e.message),
    );
    assert.equal((await snapshot(to)).releases.length, 1);
  }));

test('with includeRunning a running release moves as it is', () =>
  withStores(async (from, to) => {
    const r = await from.startRelease(release());
    await migrateHistory(from, to, { includeRunning: true });
    assert.equal((await to.release(keyOf(r))).outcome, 'running');
  }));
