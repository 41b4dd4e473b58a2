// `ferry store migrate` as a process, SQLite → SQLite (into the cluster: test/store/kubernetes-migrate.test.ts).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { release } from '../../store/driver-contract.ts';
import { seedHistory } from '../../store/history-fixture.ts';
import { openStore } from '../../store/open.ts';
import { runFerry, tempDir } from '../testing.ts';
import { displayState } from './store.ts';

test('store migrate: progress per pair on stderr, the result as text or JSON; a second run moves nothing', async () => {
  const dir = tempDir('ferry-store-cli-');
  const from = join(dir, 'from.db');
  const to = join(dir, 'to.db');
  const seeded = await openStore(from);
  await seedHistory(seeded);
  await seeded.close();

  const first = await runFerry(['store', 'migrate', '--from', from, '--to', to]);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /^✓ moved 5 releases and 7 audit entries to /);
  assert.match(
    first.stderr,
    /planned: 5 releases of 3 service\/environment pairs \(0 already in the target\), 7 audit entries/,
  );
  assert.match(first.stderr, /^ {2}hcn\/test: moved 3, 0 already there$/m);

  const again = await runFerry(['store', 'migrate', '--from', from, '--to', `sqlite:${to}`, '-o', 'json']);
  assert.equal(again.code, 0, again.stderr);
  const doc = JSON.parse(again.stdout) as { releases: unknown; audit: unknown; pairs: { service: string }[] };
  assert.deepEqual(doc.releases, { total: 5, moved: 0, present: 5 });
  assert.deepEqual(doc.audit, { total: 7, moved: 0, present: 7 });
  assert.deepEqual(
    doc.pairs.map((p) => p.service),
    ['hcn', 'hcn', 'web'],
  );
});

test('store migrate: a running release is refused with exit 3 and the flag that moves it; the same store twice is exit 2', async () => {
  const dir = tempDir('ferry-store-cli-');
  const from = join(dir, 'from.db');
  const seeded = await openStore(from);
  await seeded.startRelease(release());
  await seeded.close();
  const r = await runFerry(['store', 'migrate', '--from', from, '--to', join(dir, 'to.db'), '-o', 'json']);
  assert.equal(r.code, 3, r.stderr);
  const err = (JSON.parse(r.stdout) as { error: { code: string; hint: string } }).error;
  assert.equal(err.code, 'E_MIGRATE_RUNNING');
  assert.match(err.hint, /--include-running/);
  const moved = await runFerry([
    'store',
    'migrate',
    '--from',
    from,
    '--to',
    join(dir, 'to.db'),
    '--include-running',
  ]);
  assert.equal(moved.code, 0, moved.stderr);

  const same = await runFerry(['store', 'migrate', '--from', from, '--to', from]);
  assert.equal(same.code, 2);
  assert.match(same.stderr, /--from and --to are the same store/);
});

test('a postgres:// password is never printed', () => {
  assert.equal(displayState('postgres://ferry:s3cret@db:5432/ferry'), 'postgres://ferry:***@db:5432/ferry');
  assert.equal(displayState('/x/state.db'), '/x/state.db');
});
