import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { importFiles } from '../index.ts';
import { importChronos } from './index.ts';

async function file(name: string, value: unknown): Promise<string> {
  const f = join(await mkdtemp(join(tmpdir(), 'ferry-chronos-')), name);
  await writeFile(f, JSON.stringify(value));
  return f;
}

const SYNC = {
  name: 'ACCOUNT_SYNC',
  schedule: 'R//PT30M',
  scheduleTimeZone: 'Europe/London',
  command: 'python sync.py',
  epsilon: 'PT10M',
  concurrent: false,
  retries: 5,
  cpus: '0.5',
  mem: '256',
  container: { type: 'DOCKER', image: 'anna/account:3' },
  environmentVariables: [
    { name: 'LOG', value: 'info' },
    { name: 'BATCH', value: '100' },
  ],
  owner: 'ops@example.com',
};

test('Chronos jobs of one image are one service (instances 0) with a cron each; retries kept', async () => {
  const f = await file('jobs.json', [
    SYNC,
    {
      name: 'account-cleanup',
      schedule: 'R/2024-01-01T03:00:00Z/P1D',
      command: 'python cleanup.py',
      container: { type: 'DOCKER', image: 'anna/account:3' },
      environmentVariables: [{ name: 'LOG', value: 'info' }],
    },
  ]);
  const r = await importChronos([f]);
  assert.equal(r.services.length, 1);
  assert.equal(r.services[0]?.version, '3');
  assert.deepEqual(r.services[0]?.manifest, {
    service: 'account',
    image: 'anna/account',
    instances: 0,
    env: { LOG: 'info' },
    crons: [
      {
        name: 'sync',
        schedule: 'R//PT30M',
        command: 'export BATCH=100; python sync.py',
        timezone: 'Europe/London',
        concurrency: 'forbid',
        deadline: '10m',
        retries: 5,
        resources: { cpu: '500m', memory: '256Mi' },
      },
      {
        name: 'cleanup',
        schedule: 'R/2024-01-01T03:00:00Z/P1D',
        command: 'python cleanup.py',
        concurrency: 'forbid',
      },
    ],
  });
  assert.equal(r.report.find((e) => e.path === '[0].environmentVariables[1]')?.to, 'crons.sync.command');
  assert.equal(r.report.find((e) => e.path === '[0].environmentVariables[0]')?.to, 'env.LOG');
  assert.equal(r.report.find((e) => e.path === '[0].retries')?.to, 'crons.sync.retries');
  assert.equal(r.report.find((e) => e.path === '[0].owner')?.outcome, 'dropped');
});

test('a dependent job of the same image runs after its parent; other chains are reported in order', async () => {
  const f = await file('jobs.json', [
    SYNC,
    {
      name: 'after_sync',
      parents: ['ACCOUNT_SYNC'],
      command: 'python report.py',
      container: { image: 'anna/account:3' },
    },
    { name: 'notify', parents: ['after_sync'], command: 'notify-send done' },
  ]);
  const r = await importChronos([f]);
  const account = r.services.find((s) => s.manifest.service === 'account')!;
  assert.equal(account.manifest.crons?.[0]?.command, 'python sync.py && python report.py');
  const dependent = r.report.find((e) => e.path === '[1]');
  assert.equal(dependent?.outcome, 'approximated');
  assert.match(dependent?.note ?? '', /ACCOUNT_SYNC → after_sync/);
  const notify = r.report.find((e) => e.path === '[2]');
  assert.equal(notify?.outcome, 'dropped');
  assert.match(
    notify?.note ?? '',
    /order ACCOUNT_SYNC → after_sync → notify \(ACCOUNT_SYNC runs R\/\/PT30M\)/,
  );
});

test('Marathon app + Chronos jobs sharing its image: one service with those crons', async () => {
  const app = await file('app.json', {
    id: '/anna/account',
    cmd: 'python app.py',
    instances: 2,
    container: { type: 'DOCKER', docker: { image: 'anna/account:3' } },
    env: { LOG: 'info' },
  });
  const jobs = await file('jobs.json', [
    SYNC,
    {
      name: 'other',
      schedule: 'R//PT1H',
      command: 'run',
      container: { type: 'DOCKER', image: 'anna/reports:1' },
    },
  ]);
  const r = await importFiles([app, jobs]);
  assert.equal(r.format, 'marathon');
  assert.deepEqual(
    r.services.map((s) => [s.manifest.service, s.manifest.instances, s.manifest.crons?.map((c) => c.name)]),
    [
      ['account', 2, ['sync']],
      ['reports', 0, ['other']],
    ],
  );
  const account = r.services[0]!.manifest;
  assert.deepEqual(account.env, { LOG: 'info' });
  assert.equal(account.crons?.[0]?.command, 'export BATCH=100; python sync.py');
  assert.match(
    r.report.find((e) => e.path === '[0].name' && e.outcome === 'approximated')?.note ?? '',
    /Marathon app account/,
  );
});
