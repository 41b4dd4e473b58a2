// The fault stages of scripts/cluster/stages/fault-*.yaml, chosen by the pod label
// `ferry.dev/fault`: never-ready (CrashLoopBackOff), image-pull (ImagePullBackOff) and slow-ready.
// (`fail` is exercised in job.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Pod } from '@kubernetes/client-node';
import { faultStagesAvailable, waitFor, withNamespace, type TestNamespace } from '../kit/cluster.ts';
import { condition, deployment } from '../kit/workloads.ts';

const skip = !faultStagesAvailable;

async function podsOf(t: TestNamespace, app: string): Promise<V1Pod[]> {
  return (await t.core.listNamespacedPod({ namespace: t.namespace, labelSelector: `app=${app}` })).items;
}

test('a never-ready Deployment ends ProgressDeadlineExceeded, its pods crash-looping', { skip }, async () => {
  await withNamespace('never-ready', async (t) => {
    const body = deployment('bad', 2, { fault: 'never-ready', progressDeadlineSeconds: 5 });
    await t.apps.createNamespacedDeployment({ namespace: t.namespace, body });
    const progressing = await waitFor('Deployment bad ProgressDeadlineExceeded', async () => {
      const d = await t.apps.readNamespacedDeployment({ name: 'bad', namespace: t.namespace });
      const c = condition(d.status?.conditions, 'Progressing');
      return c?.reason === 'ProgressDeadlineExceeded' ? c : undefined;
    });
    assert.equal(progressing.status, 'False');
    const d = await t.apps.readNamespacedDeployment({ name: 'bad', namespace: t.namespace });
    assert.equal(d.status?.availableReplicas ?? 0, 0);
    assert.equal(condition(d.status?.conditions, 'Available')?.status, 'False');

    const pods = await podsOf(t, 'bad');
    assert.equal(pods.length, 2);
    for (const pod of pods) {
      const cs = pod.status?.containerStatuses?.[0];
      assert.equal(pod.status?.phase, 'Running');
      assert.equal(condition(pod.status?.conditions, 'Ready')?.status, 'False');
      assert.equal(cs?.state?.waiting?.reason, 'CrashLoopBackOff');
      assert.equal(cs?.lastState?.terminated?.exitCode, 1);
    }
    // restartCount keeps rising, like a kubelet restarting a crashing container.
    const name = pods[0]!.metadata!.name!;
    const first = pods[0]!.status!.containerStatuses![0]!.restartCount;
    const later = await waitFor(
      `restartCount of ${name} to rise above ${first}`,
      async () => {
        const p = await t.core.readNamespacedPod({ name, namespace: t.namespace });
        const n = p.status?.containerStatuses?.[0]?.restartCount ?? 0;
        return n > first ? n : undefined;
      },
      30_000,
    );
    assert.ok(later > first);
  });
});

test('image-pull pods stay Pending in ImagePullBackOff', { skip }, async () => {
  await withNamespace('image-pull', async (t) => {
    const body = deployment('nopull', 1, { fault: 'image-pull' });
    await t.apps.createNamespacedDeployment({ namespace: t.namespace, body });
    const pod = await waitFor('a pod in ImagePullBackOff', async () => {
      const p = (await podsOf(t, 'nopull'))[0];
      return p?.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff' ? p : undefined;
    });
    assert.equal(pod.status?.phase, 'Pending');
    assert.equal(pod.status?.containerStatuses?.[0]?.ready, false);
    assert.match(pod.status?.containerStatuses?.[0]?.state?.waiting?.message ?? '', /pause:3\.10/);
    const d = await t.apps.readNamespacedDeployment({ name: 'nopull', namespace: t.namespace });
    assert.equal(d.status?.readyReplicas ?? 0, 0);
  });
});

test('slow-ready pods run at once and become Ready only after ferry.dev/ready-delay', { skip }, async () => {
  await withNamespace('slow-ready', async (t) => {
    const body = deployment('slow', 1, {
      fault: 'slow-ready',
      annotations: { 'ferry.dev/ready-delay': '4s' },
    });
    const start = Date.now();
    await t.apps.createNamespacedDeployment({ namespace: t.namespace, body });
    const running = await waitFor('a Running pod', async () => {
      const p = (await podsOf(t, 'slow'))[0];
      return p?.status?.phase === 'Running' ? p : undefined;
    });
    assert.equal(condition(running.status?.conditions, 'Ready')?.status, 'False');
    await waitFor('Deployment slow Available', async () => {
      const d = await t.apps.readNamespacedDeployment({ name: 'slow', namespace: t.namespace });
      return d.status?.availableReplicas === 1 ? d : undefined;
    });
    const elapsed = Date.now() - start;
    assert.ok(elapsed >= 3_500, `became Ready after ${elapsed} ms, expected at least the 4 s delay`);
  });
});
