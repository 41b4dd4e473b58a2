// Deploy, prune and rollback on the real cluster: a release with a migration and crons, a new
// version that drops a cron (pruned), and a manual rollback that re-applies the stored release.
import { test } from 'node:test';
import { keyOf } from '../../src/store/types.ts';
import assert from 'node:assert/strict';
import { withNamespace } from '../kit/cluster.ts';
import { deploy, deployDefaults, rollback, serviceYaml, tempApp, testDeps } from './kit.ts';

test('happy path, prune of a removed cron, manual rollback', { timeout: 120_000 }, async () => {
  await withNamespace('deploy', async ({ namespace, apps, batch }) => {
    const app = tempApp(namespace);
    const deps = await testDeps(app.statePath);
    try {
      app.write('web', serviceYaml('web', { instances: 2, migration: true, crons: ['sync', 'report'] }));
      const r1 = await deploy(deps, await app.load(), {
        service: 'web',
        environment: 'test',
        version: '1.0.0',
        ...deployDefaults,
      });
      assert.equal(r1.outcome, 'succeeded', r1.message);
      assert.deepEqual(
        r1.steps.map((s) => `${s.name}:${s.outcome}`),
        [
          'plan:succeeded',
          'lock:succeeded',
          'preflight:succeeded',
          'provision:succeeded',
          'migrate:succeeded',
          'apply:succeeded',
          'track:succeeded',
          'schedule:succeeded',
          'verify:skipped',
          'observe:skipped',
          'notify:skipped',
        ],
      );
      assert.equal(r1.steps.find((s) => s.name === 'track')?.message, '2/2 ready');
      const job = await batch.readNamespacedJob({ name: 'web-migrate-1.0.0', namespace });
      assert.equal(job.status?.succeeded, 1);
      const d1 = await apps.readNamespacedDeployment({ name: 'web', namespace });
      assert.equal(d1.spec?.template.spec?.containers[0]?.image, 'registry.example.com/test/web:1.0.0');
      assert.equal(d1.status?.readyReplicas, 2);
      const crons1 = await batch.listNamespacedCronJob({ namespace });
      assert.deepEqual(crons1.items.map((c) => c.metadata?.name).sort(), ['web-report', 'web-sync']);
      // server-side apply with field manager ferry
      assert.ok(d1.metadata?.managedFields?.some((f) => f.manager === 'ferry' && f.operation === 'Apply'));

      // the stored release holds the exact objects and the outcome
      const stored = await deps.store.release(keyOf(r1));
      assert.equal(stored.outcome, 'succeeded');
      assert.equal(stored.actor, 'test@ferry');
      const keys = stored.objects.map((o) => `${o.kind}/${o.metadata.name}`);
      for (const k of ['Service/web', 'Deployment/web', 'CronJob/web-report', 'CronJob/web-sync']) {
        assert.ok(keys.includes(k), `${k} stored (have ${keys.join(', ')})`);
      }
      assert.equal(stored.migrateDown?.metadata.name, 'web-migrate-down-1.0.0');

      // v2 drops the report cron: it is pruned
      app.write('web', serviceYaml('web', { instances: 2, migration: true, crons: ['sync'] }));
      const r2 = await deploy(deps, await app.load(), {
        service: 'web',
        environment: 'test',
        version: '2.0.0',
        ...deployDefaults,
      });
      assert.equal(r2.outcome, 'succeeded', r2.message);
      assert.match(r2.steps.find((s) => s.name === 'apply')?.message ?? '', /pruned CronJob\/web-report/);
      const crons2 = await batch.listNamespacedCronJob({ namespace });
      assert.deepEqual(
        crons2.items.map((c) => c.metadata?.name),
        ['web-sync'],
      );
      assert.equal(r2.previousVersion, '1.0.0');

      // manual rollback: re-applies release 1's stored objects, recorded as a new release
      const t0 = Date.now();
      const rb = await rollback(deps, await app.load(), {
        service: 'web',
        environment: 'test',
        leaseMs: 10_000,
        waitLockMs: 0,
      });
      const rollbackMs = Date.now() - t0;
      assert.equal(rb.outcome, 'succeeded', rb.message);
      assert.equal(rb.kind, 'rollback');
      assert.equal(rb.version, '1.0.0');
      // the < 3 s target is measured by bench/deploy.ts; under a loaded test run only a sanity bound
      assert.ok(rollbackMs < 15_000, `rollback took ${rollbackMs} ms`);
      const back = await deps.store.release(keyOf(rb));
      assert.deepEqual(back.sourceRelease, keyOf(r1));
      assert.deepEqual(back.objects, stored.objects);
      const d3 = await apps.readNamespacedDeployment({ name: 'web', namespace });
      assert.equal(d3.spec?.template.spec?.containers[0]?.image, 'registry.example.com/test/web:1.0.0');
      const crons3 = await batch.listNamespacedCronJob({ namespace });
      assert.deepEqual(crons3.items.map((c) => c.metadata?.name).sort(), ['web-report', 'web-sync']);

      const history = await deps.store.history('web', 'test');
      assert.deepEqual(
        history.map((h) => `${h.id}:${h.kind}:${h.version}:${h.outcome}`),
        [
          `${rb.id}:rollback:1.0.0:succeeded`,
          `${r2.id}:deploy:2.0.0:succeeded`,
          `${r1.id}:deploy:1.0.0:succeeded`,
        ],
      );
    } finally {
      await deps.store.close();
      app.cleanup();
    }
  });
});

test(
  'rollback --migrate-down runs the current release’s down Job before re-applying',
  { timeout: 120_000 },
  async () => {
    await withNamespace('rollback-down', async ({ namespace, apps, batch }) => {
      const app = tempApp(namespace);
      const deps = await testDeps(app.statePath);
      try {
        app.write('web', serviceYaml('web', { instances: 1, migration: true }));
        for (const version of ['1.0.0', '2.0.0']) {
          const r = await deploy(deps, await app.load(), {
            service: 'web',
            environment: 'test',
            version,
            ...deployDefaults,
          });
          assert.equal(r.outcome, 'succeeded', r.message);
        }
        const rb = await rollback(deps, await app.load(), {
          service: 'web',
          environment: 'test',
          leaseMs: 10_000,
          waitLockMs: 0,
          migrateDown: true,
        });
        assert.equal(rb.outcome, 'succeeded', rb.message);
        assert.deepEqual(rb.steps.map((s) => `${s.name}:${s.outcome}`).slice(0, 5), [
          'plan:succeeded',
          'lock:succeeded',
          'migrate-down:succeeded',
          'apply:succeeded',
          'track:succeeded',
        ]);
        const down = await batch.readNamespacedJob({ name: 'web-migrate-down-2.0.0', namespace });
        assert.equal(down.status?.succeeded, 1);
        assert.equal(down.spec?.template.spec?.containers[0]?.image, 'registry.example.com/test/web:2.0.0');
        const d = await apps.readNamespacedDeployment({ name: 'web', namespace });
        assert.equal(d.spec?.template.spec?.containers[0]?.image, 'registry.example.com/test/web:1.0.0');
      } finally {
        await deps.store.close();
        app.cleanup();
      }
    });
  },
);
