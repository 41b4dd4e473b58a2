// ferry deploys onto the real node: the migration is a real container changing the real
// database, the kubelet really probes /health, the HTTP check reaches the pod through its
// Service's endpoints; a version that crashes on start really crash-loops, ferry reverts it and
// the crashing image's down-migration drops the table its migration created.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../kit/cluster.ts';
import { serviceProxy } from '../kit/ingress.ts';
import { httpGet, realNodeSkip } from '../kit/real-node.ts';
import { condition } from '../kit/workloads.ts';
import { tables, withRealApp } from './kit.ts';

test(
  'migrate, probe and check on the real node; a crash-looping version is reverted with its down-migration',
  { timeout: 240_000, skip: realNodeSkip },
  async () => {
    await withRealApp('deploy', async (r) => {
      const { core, apps, batch, namespace, node, database } = r;
      const proxy = await serviceProxy(namespace, 'demo');
      try {
        r.writeDemo({ checks: [`{ name: home, http: '${proxy.url}/' }`] });
        const good = await r.deploy('1.0.0');
        assert.equal(good.outcome, 'succeeded', good.message);
        // the migration Job ran in a container on the real node, as the service's role, over the bridge
        assert.deepEqual(await tables(node, database), ['release_1_0_0']);
        const [migratePod] = (
          await core.listNamespacedPod({ namespace, labelSelector: 'job-name=demo-migrate-1.0.0' })
        ).items;
        assert.equal(migratePod?.spec?.nodeName, node.name);
        const migrateLog = await core.readNamespacedPodLog({ name: migratePod!.metadata!.name!, namespace });
        assert.match(migrateLog, /migrate up: release_1_0_0 done/);
        // the HTTP check went through the Service's endpoints to the pod
        assert.match(good.steps.find((s) => s.name === 'verify')?.message ?? '', /check home: 200/);
        const [web] = await r.webPods();
        assert.equal(web?.spec?.nodeName, node.name);
        assert.deepEqual(proxy.backends, [web!.status!.podIP!]);
        const home = await httpGet(`${proxy.url}/`);
        assert.equal(home.status, 200);
        assert.equal(home.body, `demo-app 1.0.0 on ${web!.metadata!.name}\n`);
        // readiness was really probed: the kubelet's probe requests are in the app's log
        const webLog = await core.readNamespacedPodLog({ name: web!.metadata!.name!, namespace });
        assert.match(webLog, /response:200/);

        const t0 = Date.now();
        const bad = await r.deploy('crash');
        const took = Date.now() - t0;
        assert.equal(bad.outcome, 'failed');
        assert.equal(bad.failedStep, 'track');
        assert.match(bad.message, /CrashLoopBackOff/);
        assert.equal(bad.reverted, true, JSON.stringify(bad.steps));
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
        const ms = (name: string) => bad.steps.find((s) => s.name === name)?.ms ?? 0;
        console.log(
          `# crash version: ${took} ms (migrate ${ms('migrate')}, track ${ms('track')}, revert ${ms('revert')}, migrate-down ${ms('migrate-down')})`,
        );
        // detecting the crash loop and reverting: within the budget of the simulated never-ready
        // rollout (test/deploy/failures.test.ts, 15 s). The two Jobs on top (migrate, migrate-down)
        // are real containers running psql: seconds each, the app's time rather than ferry's.
        assert.ok(
          ms('track') + ms('revert') < 15_000,
          `detect + revert took ${ms('track') + ms('revert')} ms`,
        );
        // the crash image's migration created its table; its down-migration dropped it again
        // (ferry moves on at SuccessCriteriaMet; Complete follows once the pod's finalizer is gone)
        await waitFor('Job/demo-migrate-down-crash Complete', async () => {
          const down = await batch.readNamespacedJob({ name: 'demo-migrate-down-crash', namespace });
          return condition(down.status?.conditions, 'Complete')?.status === 'True' || undefined;
        });
        assert.deepEqual(await tables(node, database), ['release_1_0_0']);
        // release 1 serves again, from the pod that was never replaced
        const d = await apps.readNamespacedDeployment({ name: 'demo', namespace });
        assert.equal(d.spec?.template.spec?.containers[0]?.image, 'ferry.local/demo-app:1.0.0');
        assert.equal(d.status?.readyReplicas, 1);
        const again = await httpGet(`${proxy.url}/`);
        assert.equal(again.body, `demo-app 1.0.0 on ${web!.metadata!.name}\n`);
      } finally {
        await proxy.close();
      }
    });
  },
);
