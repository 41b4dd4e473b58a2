// A CronJob on the real node really runs: every minute a container of the deployed image
// writes a row into the service's database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Deploy } from '../../src/engine/deploy.ts';
import { waitFor, withNamespace } from '../kit/cluster.ts';
import { realNode, realNodeSkip } from '../kit/real-node.ts';
import { deployDefaults } from '../deploy/kit.ts';
import { demoService, query, realApp } from './kit.ts';

test(
  'a cron deployed by ferry runs in a container on the real node and writes to the database',
  { timeout: 180_000, skip: realNodeSkip },
  async () => {
    const node = await realNode();
    const database = `cron_${randomBytes(3).toString('hex')}`;
    await withNamespace('real-cron', async ({ namespace, core }) => {
      const r = await realApp(namespace, node, database);
      try {
        r.app.write(
          'demo',
          demoService('demo', database, { crons: ['{ name: tick, schedule: "* * * * *", command: tick }'] }),
        );
        const res = await new Deploy(r.deps, await r.app.load(), {
          service: 'demo',
          environment: 'test',
          version: '1.0.0',
          ...deployDefaults,
        }).run();
        assert.equal(res.outcome, 'succeeded', res.message);
        assert.match(
          res.steps.find((s) => s.name === 'schedule')?.message ?? '',
          /demo-tick "\* \* \* \* \*"/,
        );

        // the next minute's run (up to ~60 s away, plus the pod's start)
        const rows = await waitFor(
          'a row in cron_ticks',
          async () => {
            const got = await query<{ pod: string; version: string }>(
              node,
              database,
              'SELECT pod, version FROM cron_ticks',
            ).catch(() => []);
            return got.length ? got : undefined;
          },
          120_000,
          1000,
        );
        assert.equal(rows[0]!.version, '1.0.0');
        assert.match(rows[0]!.pod, /^demo-tick-/);
        const pod = await core.readNamespacedPod({ name: rows[0]!.pod, namespace });
        assert.equal(pod.spec?.nodeName, node.name);
        const log = await core.readNamespacedPodLog({ name: rows[0]!.pod, namespace });
        assert.match(log, new RegExp(`tick: recorded by ${rows[0]!.pod}`));
      } finally {
        await r.close();
      }
    });
  },
);
