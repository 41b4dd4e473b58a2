// A plain Deployment on the test cluster: scheduled onto the simulated nodes, Running, Ready,
// and the Deployment controller reports it Available.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor, withNamespace } from '../kit/cluster.ts';
import { condition, deployment } from '../kit/workloads.ts';

test('a Deployment with 3 replicas becomes Available', async () => {
  await withNamespace('deploy', async ({ apps, core, namespace }) => {
    await apps.createNamespacedDeployment({ namespace, body: deployment('web', 3) });
    const status = await waitFor('Deployment web Available with 3 replicas', async () => {
      const d = await apps.readNamespacedDeployment({ name: 'web', namespace });
      const available = condition(d.status?.conditions, 'Available');
      return available?.status === 'True' && d.status?.availableReplicas === 3 ? d.status : undefined;
    });
    assert.equal(status.readyReplicas, 3);
    assert.equal(status.updatedReplicas, 3);
    assert.equal(condition(status.conditions, 'Progressing')?.reason, 'NewReplicaSetAvailable');

    const pods = await core.listNamespacedPod({ namespace, labelSelector: 'app=web' });
    assert.equal(pods.items.length, 3);
    for (const pod of pods.items) {
      assert.equal(pod.status?.phase, 'Running');
      assert.ok(pod.spec?.nodeName, `pod ${pod.metadata?.name} was scheduled`);
      assert.equal(condition(pod.status?.conditions, 'Ready')?.status, 'True');
    }
  });
});
