// Safe by default, on the real cluster: a set the API server refuses fails at preflight before the
// migration runs; a cancel during the migration either lets it finish and migrates down, or
// stops the Job and its pods — never leaves it running unseen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePodLabel } from '../../src/engine/pod-labels.ts';
import type { ProgressEvent } from '../../src/engine/progress.ts';
import { faultStagesAvailable, withNamespace } from '../kit/cluster.ts';
import { deploy, deployDefaults, serviceYaml, tempApp, testDeps, type TestDeps } from './kit.ts';

const opts = { timeout: 180_000, skip: !faultStagesAvailable && 'needs the kwok fault stages' };

/** Resolves when the run reports that `step` started. */
function started(deps: TestDeps, step: string): Promise<void> {
  return new Promise((resolve) => {
    const t = setInterval(() => {
      if (deps.events.some((e: ProgressEvent) => e.type === 'step-start' && e.step === step)) {
        clearInterval(t);
        resolve();
      }
    }, 20);
  });
}

test('preflight: what the API server refuses fails before the migration, nothing touched', opts, async () => {
  await withNamespace('preflight', async ({ namespace, core, apps, batch }) => {
    // admission the manifest cannot know about: this namespace takes no CronJob
    await core.createNamespacedResourceQuota({
      namespace,
      body: { metadata: { name: 'no-crons' }, spec: { hard: { 'count/cronjobs.batch': '0' } } },
    });
    const app = tempApp(namespace);
    const deps = await testDeps(app.statePath);
    try {
      app.write('web', serviceYaml('web', { instances: 1, migration: true, crons: ['sync'] }));
      const r = await deploy(deps, await app.load(), {
        service: 'web',
        environment: 'test',
        version: '1.0.0',
        ...deployDefaults,
      });
      assert.equal(r.outcome, 'failed');
      assert.equal(r.failedStep, 'preflight');
      assert.match(r.message, /CronJob\/web-sync: .*exceeded quota/);
      assert.deepEqual(
        r.steps.map((s) => `${s.name}:${s.outcome}`),
        ['plan:succeeded', 'lock:succeeded', 'preflight:failed', 'notify:skipped'],
      );
      assert.equal((await batch.listNamespacedJob({ namespace })).items.length, 0, 'no migration ran');
      assert.equal((await apps.listNamespacedDeployment({ namespace })).items.length, 0, 'nothing applied');
    } finally {
      await deps.store.close();
      app.cleanup();
    }
  });
});

test(
  'a cancel during a migration that has a down command lets it finish, then migrates down',
  opts,
  async () => {
    await withNamespace('cancel-migrate', async ({ namespace, batch }) => {
      const app = tempApp(namespace);
      const deps = await testDeps(app.statePath);
      try {
        app.write('web', serviceYaml('web', { instances: 1, migration: true }));
        const ac = new AbortController();
        const running = deploy(
          deps,
          await app.load(),
          {
            service: 'web',
            environment: 'test',
            version: '1.0.0',
            ...deployDefaults,
            podLabels: [parsePodLabel('migration:ferry.dev/fault=slow-ready')],
          },
          ac.signal,
        );
        await started(deps, 'migrate');
        await new Promise((r) => setTimeout(r, 500));
        ac.abort();
        const r = await running;
        assert.equal(r.outcome, 'cancelled');
        const migrate = r.steps.find((s) => s.name === 'migrate');
        assert.equal(migrate?.outcome, 'cancelled');
        assert.match(migrate?.message ?? '', /it completed first/);
        assert.equal(r.steps.find((s) => s.name === 'migrate-down')?.outcome, 'succeeded');
        assert.equal(
          r.steps.find((s) => s.name === 'apply'),
          undefined,
          'nothing applied after the cancel',
        );
        const up = await batch.readNamespacedJob({ name: 'web-migrate-1.0.0', namespace });
        assert.equal(up.status?.succeeded, 1);
        const down = await batch.readNamespacedJob({ name: 'web-migrate-down-1.0.0', namespace });
        assert.equal(down.status?.succeeded, 1);
      } finally {
        await deps.store.close();
        app.cleanup();
      }
    });
  },
);

test(
  'a cancel during a migration without a down command stops its Job and pods, and says so',
  opts,
  async () => {
    await withNamespace('cancel-stop', async ({ namespace, core, batch }) => {
      const app = tempApp(namespace);
      const deps = await testDeps(app.statePath);
      try {
        app.write(
          'web',
          `${serviceYaml('web', { instances: 1 })}migrations: { command: ./migrate up, timeout: 60s }\n`,
        );
        const ac = new AbortController();
        const running = deploy(
          deps,
          await app.load(),
          {
            service: 'web',
            environment: 'test',
            version: '1.0.0',
            ...deployDefaults,
            podLabels: [parsePodLabel('migration:ferry.dev/fault=slow-ready')],
          },
          ac.signal,
        );
        await started(deps, 'migrate');
        await new Promise((r) => setTimeout(r, 500));
        ac.abort();
        const r = await running;
        assert.equal(r.outcome, 'cancelled');
        assert.match(r.message, /stopped Job\/web-migrate-1\.0\.0 while it ran/);
        assert.match(r.message, /what it changed is kept as it was when it stopped/);
        assert.equal(
          r.steps.find((s) => s.name === 'migrate-down'),
          undefined,
          'a stopped migration is not migrated down',
        );
        const jobs = await batch.listNamespacedJob({ namespace });
        assert.equal(jobs.items.length, 0, 'the Job is gone');
        const pods = await core.listNamespacedPod({ namespace, labelSelector: 'job-name=web-migrate-1.0.0' });
        assert.equal(pods.items.length, 0, 'its pods are gone');
      } finally {
        await deps.store.close();
        app.cleanup();
      }
    });
  },
);
