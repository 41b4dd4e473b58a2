// Server-side apply and server-side dry-run against the real API server (admission, validation,
// field management all real).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApiException,
  PatchStrategy,
  type KubernetesObject,
  type V1ConfigMap,
} from '@kubernetes/client-node';
import { withNamespace } from '../kit/cluster.ts';
import { deployment } from '../kit/workloads.ts';

const manager = 'ferry-test';

test('server-side apply creates, then updates, an object owned by its field manager', async () => {
  await withNamespace('ssa', async ({ objects, core, namespace }) => {
    const cm: V1ConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace },
      data: { mode: 'one' },
    };
    await objects.patch(cm, undefined, undefined, manager, true, PatchStrategy.ServerSideApply);
    await objects.patch(
      { ...cm, data: { mode: 'two', extra: 'x' } },
      undefined,
      undefined,
      manager,
      true,
      PatchStrategy.ServerSideApply,
    );
    const read = await core.readNamespacedConfigMap({ name: 'settings', namespace });
    assert.deepEqual(read.data, { mode: 'two', extra: 'x' });
    const fields = read.metadata?.managedFields?.find((f) => f.manager === manager);
    assert.equal(fields?.operation, 'Apply');
  });
});

test('server-side dry-run validates and persists nothing', async () => {
  await withNamespace('dry-run', async ({ objects, apps, namespace }) => {
    const good: KubernetesObject = { ...deployment('preview', 2), metadata: { name: 'preview', namespace } };
    const answer = await objects.patch(good, undefined, 'All', manager, true, PatchStrategy.ServerSideApply);
    assert.equal(answer.metadata?.name, 'preview');
    assert.ok(answer.metadata?.uid, 'the dry-run answer is the object as it would be stored');
    await assert.rejects(
      apps.readNamespacedDeployment({ name: 'preview', namespace }),
      (err: unknown) => err instanceof ApiException && err.code === 404,
    );

    // A selector that does not match the template labels is rejected by real validation.
    const bad = deployment('broken', 1);
    bad.metadata = { name: 'broken', namespace };
    bad.spec!.selector = { matchLabels: { app: 'something-else' } };
    await assert.rejects(
      objects.patch(bad, undefined, 'All', manager, true, PatchStrategy.ServerSideApply),
      (err: unknown) => err instanceof ApiException && err.code === 422,
    );
  });
});
