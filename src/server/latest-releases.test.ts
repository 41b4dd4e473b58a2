import { test } from 'node:test';
import assert from 'node:assert/strict';
import { release } from '../store/driver-contract.ts';
import { openStore } from '../store/open.ts';
import { LatestReleases } from './latest-releases.ts';

test('the newest releases are read once, again after a release event or when older than maxAge', async () => {
  const store = await openStore(':memory:');
  try {
    let clock = 1_000;
    let reads = 0;
    const latest = new LatestReleases(
      () => {
        reads++;
        return store.latestPerService();
      },
      2_000,
      () => clock,
    );
    await store.startRelease(release({ version: '1.0.0' }));
    await store.startRelease(release({ environment: 'prod', namespace: 'prod', version: '0.9.0' }));
    assert.deepEqual(
      (await latest.get()).map((r) => `${r.environment}:${r.version}`),
      ['prod:0.9.0', 'test:1.0.0'],
    );
    assert.deepEqual(
      (await latest.get('test')).map((r) => r.version),
      ['1.0.0'],
      'one environment is filtered from the same read',
    );
    assert.equal(reads, 1);

    await store.startRelease(release({ version: '1.1.0' }));
    assert.equal((await latest.get('test'))[0]?.version, '1.0.0', 'kept until told');
    latest.invalidate();
    assert.equal((await latest.get('test'))[0]?.version, '1.1.0', 'read again after a release event');
    assert.equal(reads, 2);

    await store.startRelease(release({ version: '1.2.0' }));
    clock += 1_999;
    assert.equal((await latest.get('test'))[0]?.version, '1.1.0');
    clock += 1;
    assert.equal((await latest.get('test'))[0]?.version, '1.2.0', 'read again at maxAge');
    assert.equal(reads, 3);
  } finally {
    await store.close();
  }
});

test('a failed read is not kept', async () => {
  let fail = true;
  const latest = new LatestReleases(async () => {
    if (fail) throw new Error('connection refused');
    return [];
  }, 60_000);
  await assert.rejects(latest.get(), /connection refused/);
  fail = false;
  assert.deepEqual(await latest.get(), []);
});
