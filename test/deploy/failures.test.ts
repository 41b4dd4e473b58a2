// Failures on the real cluster with the kwok fault stages: a failed migration applies nothing; a
// rollout whose pods never become Ready is detected, reverted to the previous release's stored
// objects, and the NEW image's down migration runs — in well under 15 s.
import { test } from 'node:test';
import { keyOf } from '../../src/store/types.ts';
import assert from 'node:assert/strict';
import { parsePodLabel } from '../../src/engine/pod-labels.ts';
import { faultStagesAvailable, waitFor, withNamespace } from '../kit/cluster.ts';
import { deploy, deployDefaults, serviceYaml, tempApp, testDeps } from './kit.ts';

test(
  'a failed migration stops the deploy with nothing applied',
  { timeout: 90_000, skip: !faultStagesAvailable && 'needs the kwok fault stages' },
  async () => {
    await withNamespace('migrate-fail', async ({ namespace, apps, batch }) => {
      const app = tempApp(namespace);
      const deps = await testDeps(app.statePath);
      try {
        app.write('web', serviceYaml('web', { migration: true, crons: ['sync'] }));
        const r = await deploy(deps, await app.load(), {
          service: 'web',
          environment: 'test',
          version: '1.0.0',
          ...deployDefaults,
          podLabels: [parsePodLabel('migration:ferry.dev/fault=fail')],
        });
        assert.equal(r.outcome, 'failed');
        assert.equal(r.failedStep, 'migrate');
        assert.match(r.message, /^migrate: Job\/web-migrate-1\.0\.0: /);
        assert.deepEqual(
          r.steps.map((s) => `${s.name}:${s.outcome}`),
          [
            'plan:succeeded',
            'lock:succeeded',
            'preflight:succeeded',
            'provision:succeeded',
            'migrate:failed',
            'notify:skipped',
          ],
        );
        const deployments = await apps.listNamespacedDeployment({ namespace });
        assert.equal(deployments.items.length, 0, 'nothing applied');
        const crons = await batch.listNamespacedCronJob({ namespace });
        assert.equal(crons.items.length, 0);
        const stored = await deps.store.release(keyOf(r));
        assert.equal(stored.outcome, 'failed');
        assert.equal(stored.steps.find((s) => s.name === 'migrate')?.outcome, 'failed');
      } finally {
        await deps.store.close();
        app.cleanup();
      }
    });
  },
);

test(
  'a never-ready rollout is detected from its pods (not at the progress deadline) and reverted with the down migration',
  { timeout: 120_000, skip: !faultStagesAvailable && 'needs the kwok fault stages' },
  async () => {
    await withNamespace('bad-rollout', async ({ namespace, apps, batch }) => {
      const app = tempApp(namespace);
      const deps = await testDeps(app.statePath);
      try {
        app.write('web', serviceYaml('web', { instances: 3, migration: true }));
        const good = await deploy(deps, await app.load(), {
          service: 'web',
          environment: 'test',
          version: '1.0.0',
          ...deployDefaults,
        });
        assert.equal(good.outcome, 'succeeded', good.message);

        const t0 = Date.now();
        const bad = await deploy(deps, await app.load(), {
          service: 'web',
          environment: 'test',
          version: '2.0.0',
          ...deployDefaults,
          podLabels: [parsePodLabel('web:ferry.dev/fault=never-ready')],
        });
        const took = Date.now() - t0;
        assert.equal(bad.outcome, 'failed');
        assert.equal(bad.failedStep, 'track');
        assert.match(bad.message, /CrashLoopBackOff/);
        assert.equal(bad.reverted, true);
        assert.deepEqual(
          bad.steps.map((s) => `${s.name}:${s.outcome}`),
          [
            'plan:succeeded',
            'lock:succeeded',
            'preflight:succeeded',
            'provision:succeeded',
            'migrate:succeeded',
            'apply:succeeded',
            'track:failed',
            'revert:succeeded',
            'migrate-down:succeeded',
            'notify:skipped',
          ],
        );
        // fail fast: read from the pods' CrashLoopBackOff, long before the 120 s progress
        // deadline (about 10 s on an idle machine; the bound leaves room for a CI machine at load 20)
        assert.ok(took < 60_000, `detect + revert + migrate-down took ${took} ms`);

        // the cluster runs release 1 again, healthy, and the NEW image's down migration ran
        const d = await apps.readNamespacedDeployment({ name: 'web', namespace });
        assert.equal(d.spec?.template.spec?.containers[0]?.image, 'registry.example.com/test/web:1.0.0');
        assert.equal(d.spec?.template.metadata?.labels?.['ferry.dev/fault'], undefined);
        assert.equal(d.status?.readyReplicas, 3);
        // ferry judged it done by the Job's SuccessCriteriaMet/Complete condition; the controller
        // moves the pod into status.succeeded when it has removed the pod's tracking finalizer,
        // which can come a moment later on a busy machine
        const down = await waitFor('the down-migration Job counted as succeeded', async () => {
          const j = await batch.readNamespacedJob({ name: 'web-migrate-down-2.0.0', namespace });
          return j.status?.succeeded === 1 ? j : undefined;
        });
        assert.ok(
          down.status?.conditions?.some(
            (c) => (c.type === 'Complete' || c.type === 'SuccessCriteriaMet') && c.status === 'True',
          ),
        );
        assert.equal(down.spec?.template.spec?.containers[0]?.image, 'registry.example.com/test/web:2.0.0');

        const last = await deps.store.lastSuccessful('web', 'test');
        assert.equal(last?.id, good.id);
      } finally {
        await deps.store.close();
        app.cleanup();
      }
    });
  },
);

test(
  'a rollout that times out (progress deadline) is reverted, and the revert is not failed by the old timeout',
  { timeout: 180_000, skip: !faultStagesAvailable && 'needs the kwok fault stages' },
  async () => {
    await withNamespace('deadline', async ({ namespace, apps }) => {
      const app = tempApp(namespace);
      app.writePlatform(
        `services: ['services/*']\nenvironments:\n  test: { namespace: ${namespace}, createNamespace: false, tls: { disabled: true } }\npolicy:\n  progressDeadline: 10s\n`,
      );
      const deps = await testDeps(app.statePath);
      try {
        app.write('web', serviceYaml('web', { instances: 2 }));
        const good = await deploy(deps, await app.load(), {
          service: 'web',
          environment: 'test',
          version: '1.0.0',
          ...deployDefaults,
        });
        assert.equal(good.outcome, 'succeeded', good.message);
        // pods that run but stay unready far past the deadline: the Deployment times out
        app.write(
          'web',
          `${serviceYaml('web', { instances: 2 })}pod: { annotations: { ferry.dev/ready-delay: 10m } }\n`,
        );
        for (const version of ['2.0.0', '2.0.1']) {
          const bad = await deploy(deps, await app.load(), {
            service: 'web',
            environment: 'test',
            version,
            ...deployDefaults,
            podLabels: [parsePodLabel('web:ferry.dev/fault=slow-ready')],
          });
          assert.equal(bad.outcome, 'failed');
          assert.match(bad.message, /progress deadline/);
          assert.equal(bad.steps.find((s) => s.name === 'revert')?.outcome, 'succeeded', bad.message);
          assert.equal(bad.reverted, true);
          const d = await apps.readNamespacedDeployment({ name: 'web', namespace });
          assert.equal(d.spec?.template.spec?.containers[0]?.image, 'registry.example.com/test/web:1.0.0');
        }
      } finally {
        await deps.store.close();
        app.cleanup();
      }
    });
  },
);
