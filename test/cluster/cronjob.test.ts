// The CronJob controller is real: a CronJob on a one-minute schedule creates a Job within ~70 s
// (the next minute boundary plus the controller's reaction time).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor, withNamespace } from '../kit/cluster.ts';
import { cronJob } from '../kit/workloads.ts';

test('a CronJob with a one-minute schedule creates a Job', async () => {
  await withNamespace('cron', async ({ batch, namespace }) => {
    const created = await batch.createNamespacedCronJob({ namespace, body: cronJob('tick', '* * * * *') });
    const jobs = await waitFor(
      'a Job created by CronJob tick',
      async () => {
        const list = await batch.listNamespacedJob({ namespace });
        return list.items.length > 0 ? list.items : undefined;
      },
      80_000,
      1_000,
    );
    const owner = jobs[0]?.metadata?.ownerReferences?.[0];
    assert.equal(owner?.kind, 'CronJob');
    assert.equal(owner?.name, 'tick');
    assert.equal(owner?.uid, created.metadata?.uid);
    assert.match(jobs[0]?.metadata?.name ?? '', /^tick-\d+$/);
  });
});
