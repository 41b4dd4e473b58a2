import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMappers } from '../testing.ts';
import { mapLabels } from './index.ts';

test('swarm-cronjob labels → a cron; without skip-running the old default (overlap) is kept and reported', () => {
  const r = runMappers(
    [mapLabels],
    {
      deploy: {
        labels: {
          'swarm.cronjob.enable': 'true',
          'swarm.cronjob.schedule': '0 3 * * *',
          'swarm.cronjob.timezone': 'Europe/Paris',
          'swarm.cronjob.registry-auth': 'true',
        },
      },
    },
    { manifest: { args: ['backup'] } },
  );
  assert.deepEqual(r.m.crons, [
    {
      name: 'web',
      schedule: '0 3 * * *',
      command: ['backup'],
      concurrency: 'allow',
      timezone: 'Europe/Paris',
    },
  ]);
  assert.equal(r.at('deploy.labels["swarm.cronjob.registry-auth"]')?.outcome, 'dropped');
  assert.ok(r.entries.some((e) => e.to === 'crons.web.concurrency' && e.outcome === 'approximated'));
  const skip = runMappers(
    [mapLabels],
    { labels: { 'swarm.cronjob.schedule': '@hourly', 'swarm.cronjob.skip-running': 'true' } },
    { manifest: { args: ['x'] } },
  );
  assert.equal(skip.m.crons?.[0]?.concurrency, 'forbid');
});
