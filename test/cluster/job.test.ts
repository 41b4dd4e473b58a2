// Jobs: pods of a plain Job Succeed and the Job completes; pods labelled with the `fail` fault
// stage exit 1 and the Job ends Failed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { faultStagesAvailable, waitFor, withNamespace } from '../kit/cluster.ts';
import { condition, job } from '../kit/workloads.ts';

test('a Job completes', async () => {
  await withNamespace('job', async ({ batch, core, namespace }) => {
    await batch.createNamespacedJob({ namespace, body: job('once', { completions: 2 }) });
    const status = await waitFor('Job once Complete', async () => {
      const j = await batch.readNamespacedJob({ name: 'once', namespace });
      return condition(j.status?.conditions, 'Complete')?.status === 'True' ? j.status : undefined;
    });
    assert.equal(status.succeeded, 2);
    assert.equal(status.failed ?? 0, 0);
    assert.equal(condition(status.conditions, 'Failed'), undefined);
    const pods = await core.listNamespacedPod({ namespace, labelSelector: 'app=once' });
    assert.ok(pods.items.length >= 2);
    assert.ok(pods.items.every((p) => p.status?.phase === 'Succeeded'));
  });
});

test('a Job whose pods carry the fail stage ends Failed', { skip: !faultStagesAvailable }, async () => {
  await withNamespace('job-fail', async ({ batch, core, namespace }) => {
    await batch.createNamespacedJob({ namespace, body: job('doomed', { fault: 'fail', backoffLimit: 0 }) });
    const status = await waitFor('Job doomed Failed', async () => {
      const j = await batch.readNamespacedJob({ name: 'doomed', namespace });
      return condition(j.status?.conditions, 'Failed')?.status === 'True' ? j.status : undefined;
    });
    assert.equal(condition(status.conditions, 'Failed')?.reason, 'BackoffLimitExceeded');
    assert.equal(status.succeeded ?? 0, 0);
    assert.ok((status.failed ?? 0) >= 1);
    const pods = await core.listNamespacedPod({ namespace, labelSelector: 'app=doomed' });
    const failed = pods.items.filter((p) => p.status?.phase === 'Failed');
    assert.ok(failed.length >= 1, 'a pod is Failed');
    assert.equal(failed[0]?.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 1);
  });
});
