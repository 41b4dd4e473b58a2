import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { importChronos } from './index.ts';

test('Chronos jobs: schedule, zone, concurrency, epsilon, resources; a dependent job is reported', async () => {
  const f = join(await mkdtemp(join(tmpdir(), 'ferry-chronos-')), 'jobs.json');
  await writeFile(
    f,
    JSON.stringify([
      {
        name: 'ACCOUNT_SYNC',
        schedule: 'R//PT30M',
        scheduleTimeZone: 'Europe/London',
        command: 'python sync.py',
        epsilon: 'PT10M',
        concurrent: false,
        cpus: '0.5',
        mem: '256',
        container: { type: 'DOCKER', image: 'anna/account:3' },
        owner: 'ops@example.com',
      },
      { name: 'after_sync', parents: ['ACCOUNT_SYNC'], command: 'python report.py' },
    ]),
  );
  const r = await importChronos([f]);
  assert.equal(r.services.length, 1);
  assert.deepEqual(r.services[0]?.manifest, {
    service: 'account-sync',
    image: 'anna/account',
    instances: 0,
    crons: [
      {
        name: 'account-sync',
        schedule: 'R//PT30M',
        command: 'python sync.py',
        timezone: 'Europe/London',
        concurrency: 'forbid',
        deadline: '10m',
        resources: { cpu: '500m', memory: '256Mi' },
      },
    ],
  });
  const dependent = r.report.find((e) => e.service === 'after-sync');
  assert.equal(dependent?.outcome, 'dropped');
  assert.match(dependent?.note ?? '', /ACCOUNT_SYNC/);
  assert.equal(r.report.find((e) => e.path === '[0].owner')?.outcome, 'dropped');
});
