// Readiness on the real node is the kubelet's: a version whose /health answers 404 never becomes
// Ready, so its pod never enters the Service's endpoints and the old version keeps serving every
// request; the rollout fails at its progress deadline and ferry reverts it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Deploy } from '../../src/engine/deploy.ts';
import { withNamespace } from '../kit/cluster.ts';
import { serviceProxy } from '../kit/ingress.ts';
import { httpGet, realNode, realNodeSkip } from '../kit/real-node.ts';
import { deployDefaults } from '../deploy/kit.ts';
import { demoService, realApp, tables } from './kit.ts';

test(
  'a never-ready version is really probed, gets no traffic, and is reverted at its progress deadline',
  { timeout: 180_000, skip: realNodeSkip },
  async () => {
    const node = await realNode();
    const database = `probe_${randomBytes(3).toString('hex')}`;
    await withNamespace('real-probes', async ({ namespace, core }) => {
      const proxy = await serviceProxy(namespace, 'demo');
      const r = await realApp(namespace, node, database, { progressDeadline: '15s' });
      try {
        r.app.write('demo', demoService('demo', database));
        const deploy = async (version: string) =>
          new Deploy(r.deps, await r.app.load(), {
            service: 'demo',
            environment: 'test',
            version,
            ...deployDefaults,
          });
        const good = await (await deploy('1.0.0')).run();
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
        const bad = await (await deploy('never-ready')).run();
        polling = false;
        await poll;

        assert.equal(bad.outcome, 'failed');
        assert.equal(bad.failedStep, 'track');
        assert.match(bad.message, /ProgressDeadlineExceeded|progress deadline/i);
        assert.equal(bad.reverted, true);
        assert.ok(answers.length > 10, `${answers.length} requests during the rollout`);
        assert.deepEqual([...new Set(answers)], ['200 demo-app 1.0.0']);

        // the kubelet probed the new pod over the bridge and got the app's 404
        const events = await core.listNamespacedEvent({ namespace, fieldSelector: 'reason=Unhealthy' });
        const probeFailures = events.items.map((e) => e.message ?? '');
        assert.ok(
          probeFailures.some((m) => /probe failed: HTTP probe failed with statuscode: 404/.test(m)),
          `kubelet probe events: ${probeFailures.join(' | ')}`,
        );
        // and the never-ready image's down-migration ran
        assert.deepEqual(await tables(node, database), ['release_1_0_0']);
      } finally {
        await r.close();
        await proxy.close();
      }
    });
  },
);
