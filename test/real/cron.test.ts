// A CronJob on the real node really runs: every minute a container of the deployed image
// writes a row into the service's database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../kit/cluster.ts';
import { realNodeSkip } from '../kit/real-node.ts';
import { query, withRealApp } from './kit.ts';

test(
  'a cron deployed by ferry runs in a container on the real node and writes to the database',
  { timeout: 180_000, skip: realNodeSkip },
  async () => {
    await withRealApp('cron', async (r) => {
      r.writeDemo({ crons: ['{ name: tick, schedule: "* * * * *", command: tick }'] });
      const res = await r.deploy('1.0.0');
      assert.equal(res.outcome, 'succeeded', res.message);
      assert.match(res.steps.find((s) => s.name === 'schedule')?.message ?? '', /demo-tick "\* \* \* \* \*"/);

      // the next minute's run (up to ~60 s away, plus the pod's start)
      const rows = await waitFor(
        'a row in cron_ticks',
        async () => {
          const got = await query<{ pod: string; version: string }>(
            r.node,
            r.database,
            'SELECT pod, version FROM cron_ticks',
          ).catch(() => []);
          return got.length ? got : undefined;
        },
        120_000,
        1000,
      );
      const { pod, version } = rows[0]!;
      assert.equal(version, '1.0.0');
      assert.match(pod, /^demo-tick-/);
      const p = await r.core.readNamespacedPod({ name: pod, namespace: r.namespace });
      assert.equal(p.spec?.nodeName, r.node.name);
      const log = await r.core.readNamespacedPodLog({ name: pod, namespace: r.namespace });
      assert.match(log, new RegExp(`tick: recorded by ${pod}`));
    });
  },
);
