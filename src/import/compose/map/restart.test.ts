import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMappers } from '../testing.ts';
import { mapRestart } from './restart.ts';

const cron = { crons: [{ name: 'web', schedule: '* * * * *', command: 'x' }] };

test('restart: a cron is not restarted; a service always is', () => {
  assert.equal(
    runMappers([mapRestart], { restart: 'no' }, { manifest: cron }).at('restart')?.outcome,
    'mapped',
  );
  assert.equal(runMappers([mapRestart], { restart: 'no' }).at('restart')?.to, 'instances');
  assert.match(runMappers([mapRestart], { restart: 'always' }).at('restart')?.note ?? '', /"always"/);
});

test('a cron’s restart policy is its retries: on-failure max_attempts n, none → 0', () => {
  const r = runMappers(
    [mapRestart],
    { deploy: { restart_policy: { condition: 'on-failure', max_attempts: 4 } } },
    { manifest: structuredClone(cron) },
  );
  assert.equal(r.m.crons?.[0]?.retries, 4);
  assert.equal(r.at('deploy.restart_policy')?.to, 'crons.web.retries');
  const none = runMappers(
    [mapRestart],
    { deploy: { restart_policy: { condition: 'none' } } },
    { manifest: structuredClone(cron) },
  );
  assert.equal(none.m.crons?.[0]?.retries, 0);
  const service = runMappers([mapRestart], { deploy: { restart_policy: { condition: 'any' } } });
  assert.equal(service.at('deploy.restart_policy')?.outcome, 'approximated');
});
