// Moving history into and out of the cluster store on the real test cluster: SQLite → Kubernetes
// keeps every id, step and audit entry, survives being stopped halfway and a second run; what
// cannot move (ids SQL cannot keep, an environment the cluster store cannot place) is refused
// before anything is written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FerryError } from '../../src/errors.ts';
import { release } from '../../src/store/driver-contract.ts';
import { seedHistory, storeSnapshot } from '../../src/store/history-fixture.ts';
import { KubernetesDriver } from '../../src/store/kubernetes/driver.ts';
import { migrateHistory } from '../../src/store/migrate.ts';
import { openStore } from '../../src/store/open.ts';
import { Store } from '../../src/store/store.ts';
import { keyOf } from '../../src/store/types.ts';
import { runFerry, tempDir } from '../../src/cli/testing.ts';
import { testKubeconfigPath } from '../kit/cluster.ts';
import { ENVIRONMENTS, machine, namespaceOf, placement, withShared } from './kit.ts';

async function withSqlite(fn: (store: Store) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-kmigrate-'));
  const store = await openStore(join(dir, 'state.db'));
  try {
    await fn(store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('SQLite → Kubernetes: every release with its id, steps and outcome, and the audit; a second run adds nothing', () =>
  withShared((shared) =>
    withSqlite(async (from) => {
      await seedHistory(from);
      const to = new Store(new KubernetesDriver(placement(machine(), shared)));
      const ac = new AbortController();
      await assert.rejects(
        migrateHistory(from, to, {
          signal: ac.signal,
          onProgress: (e) => {
            if (e.type === 'pair') ac.abort();
          },
        }),
        (e: unknown) => e instanceof FerryError && e.code === 'E_CANCELLED',
      );
      assert.equal((await storeSnapshot(to)).releases.length, 1, 'stopped after the first pair');
      const rest = await migrateHistory(from, to);
      assert.deepEqual(rest.releases, { total: 5, moved: 4, present: 1 });
      assert.deepEqual(rest.audit, { total: 7, moved: 7, present: 0 });
      assert.deepEqual(await storeSnapshot(to), await storeSnapshot(from));

      const again = await migrateHistory(from, to);
      assert.deepEqual([again.releases.moved, again.audit.moved], [0, 0]);
      assert.deepEqual(await storeSnapshot(to), await storeSnapshot(from));
      // SQLite numbered hcn/test 1, 2 and 5: the cluster store keeps them and goes on from there
      assert.deepEqual(
        (await to.history('hcn', 'test')).map((r) => r.id),
        [5, 2, 1],
      );
      assert.equal((await to.startRelease(release())).id, 6);
      assert.deepEqual([...(await to.kindsApplied('hcn', 'test'))], ['Service']);
    }),
  ));

test('Kubernetes → SQLite: ids two services share are refused before anything moves', () =>
  withShared((shared) =>
    withSqlite(async (to) => {
      const from = new Store(new KubernetesDriver(placement(machine(), shared)));
      const a = await from.startRelease(release({ service: 'hcn' }));
      const b = await from.startRelease(release({ service: 'web' }));
      assert.equal(a.id, b.id);
      await from.finishRelease(keyOf(a), 'succeeded', '', 2);
      await from.finishRelease(keyOf(b), 'succeeded', '', 2);
      await assert.rejects(
        migrateHistory(from, to),
        (e: unknown) =>
          e instanceof FerryError &&
          e.code === 'E_MIGRATE_CONFLICT' &&
          e.message.includes('hcn/test#1 and web/test#1'),
      );
      assert.deepEqual(await to.latestPerService(), []);
    }),
  ));

test('an environment the cluster store cannot place is refused before anything moves', () =>
  withShared((shared) =>
    withSqlite(async (from) => {
      await seedHistory(from);
      const r = await from.startRelease(release({ environment: 'qa' }));
      await from.finishRelease(keyOf(r), 'succeeded', '', 2);
      const to = new Store(new KubernetesDriver(placement(machine(), shared)));
      await assert.rejects(
        migrateHistory(from, to),
        (e: unknown) => e instanceof FerryError && e.code === 'E_UNKNOWN_ENV',
      );
      assert.deepEqual(await to.latestPerService(), []);
    }),
  ));

test('ferry store migrate --to kubernetes places each environment by the platform file', () =>
  withShared(async (shared) => {
    const environments = ENVIRONMENTS.map(
      (env) => `  ${env}: { namespace: ${namespaceOf(shared, env)} }`,
    ).join('\n');
    const dir = tempDir('ferry-kmigrate-cli-', {
      'ferry.platform.yaml': `services: ['services/*']\nenvironments:\n${environments}\n`,
      'services/hcn/ferry.yaml': 'service: hcn\nimage: registry.example.com/hcn\nport: 8080\n',
    });
    const db = join(dir, 'state.db');
    const seeded = await openStore(db);
    await seedHistory(seeded);
    await seeded.close();
    const r = await runFerry([
      '-C',
      dir,
      'store',
      'migrate',
      '--from',
      db,
      '--to',
      'kubernetes',
      '--kubeconfig',
      testKubeconfigPath(),
      '-o',
      'json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { releases: unknown }).releases, {
      total: 5,
      moved: 5,
      present: 0,
    });
    assert.match(r.stderr, /hcn\/prod: moved 1, 0 already there/);
    const from = await openStore(db);
    const to = new Store(new KubernetesDriver(placement(machine(), shared)));
    try {
      assert.deepEqual(await storeSnapshot(to), await storeSnapshot(from));
    } finally {
      await from.close();
    }
  }));
