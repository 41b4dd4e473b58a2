// Readiness on the real node is the kubelet's: a version whose /health answers 404 is probed and
// never becomes Ready, so its pod never enters the Service's endpoints and the old version keeps
// serving every request; its startup probe runs out, the kubelet restarts it into
// CrashLoopBackOff, and ferry reverts it.
//
// (Failing it at its progress deadline instead would meet a race in the revert: the controller's
// first status after the re-apply can still carry the old ProgressDeadlineExceeded condition,
// which the revert's tracking takes as a failure — the same stale condition `kubectl rollout
// status` reports after `rollout undo`. Reported; not this test's subject.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceProxy } from '../kit/ingress.ts';
import { httpGet, realNodeSkip } from '../kit/real-node.ts';
import { tables, withRealApp } from './kit.ts';

test(
  'a never-ready version is really probed, gets no traffic, is restarted into a crash loop and reverted',
  { timeout: 180_000, skip: realNodeSkip },
  async () => {
    await withRealApp('probes', async (r) => {
      const proxy = await serviceProxy(r.namespace, 'demo');
      try {
        // startup 5s: five 404s in a row and the kubelet restarts the container
        r.writeDemo({
          health: '{ path: /health, period: 1s, timeout: 2s, failureThreshold: 3, startup: 5s }',
        });
        const good = await r.deploy('1.0.0');
        assert.equal(good.outcome, 'succeeded', good.message);

        // requests during the bad rollout: every one answered by 1.0.0
        const answers: string[] = [];
        let polling = true;
        const poll = (async () => {
          while (polling) {
            const res = await httpGet(`${proxy.url}/`).catch((e: unknown) => ({
              status: 0,
              body: String(e),
            }));
            answers.push(`${res.status} ${res.body.split(' on ')[0]}`);
            await new Promise((resolve) => setTimeout(resolve, 250));
          }
        })();
        const bad = await r.deploy('never-ready');
        polling = false;
        await poll;

        assert.equal(bad.outcome, 'failed');
        assert.equal(bad.failedStep, 'track');
        assert.match(bad.message, /CrashLoopBackOff/);
        assert.equal(bad.reverted, true, JSON.stringify(bad.steps));
        assert.ok(answers.length > 10, `${answers.length} requests during the rollout`);
        assert.deepEqual([...new Set(answers)], ['200 demo-app 1.0.0']);

        // the kubelet probed the new pod over the bridge and got the app's 404
        const events = await r.core.listNamespacedEvent({
          namespace: r.namespace,
          fieldSelector: 'reason=Unhealthy',
        });
        const probeFailures = events.items.map((e) => e.message ?? '');
        assert.ok(
          probeFailures.some((m) => /^Startup probe failed: HTTP probe failed with statuscode: 404/.test(m)),
          `kubelet probe events: ${probeFailures.join(' | ')}`,
        );
        const killed = await r.core.listNamespacedEvent({
          namespace: r.namespace,
          fieldSelector: 'reason=Killing',
        });
        assert.ok(
          killed.items.some((e) => /failed startup probe, will be restarted/.test(e.message ?? '')),
          killed.items.map((e) => e.message).join(' | '),
        );
        // and the never-ready image's down-migration ran
        assert.deepEqual(await tables(r.node, r.database), ['release_1_0_0']);
      } finally {
        await proxy.close();
      }
    });
  },
);
