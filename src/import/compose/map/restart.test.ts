import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMappers } from '../testing.ts';
import { mapRestart } from './restart.ts';

test('restart: a cron is not restarted; a service always is', () => {
  const cron = runMappers(
    [mapRestart],
    { restart: 'no' },
    { manifest: { crons: [{ name: 'a', schedule: '* * * * *', command: 'x' }] } },
  );
  assert.equal(cron.at('restart')?.outcome, 'mapped');
  assert.equal(runMappers([mapRestart], { restart: 'no' }).at('restart')?.to, 'instances');
  assert.match(runMappers([mapRestart], { restart: 'always' }).at('restart')?.note ?? '', /"always"/);
});
