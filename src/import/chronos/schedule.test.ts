import assert from 'node:assert/strict';
import { test } from 'node:test';
import { importChronosSchedule } from './schedule.ts';

test('intervals cron can repeat exactly stay as written', () => {
  assert.deepEqual(importChronosSchedule('R//PT30M').kind, 'exact');
  assert.deepEqual(importChronosSchedule('R/2016-01-01T00:00:00Z/PT1M'), {
    kind: 'exact',
    schedule: 'R/2016-01-01T00:00:00Z/PT1M',
    note: undefined,
  });
  assert.equal(importChronosSchedule('R/2014-10-10T18:32:00Z/PT60M').kind, 'exact');
  assert.equal(importChronosSchedule('R/2014-10-10T02:00:00Z/P1D').kind, 'exact');
});

test('what cron cannot say is approximated with the reason', () => {
  const sub = importChronosSchedule('R10/2012-10-01T05:52:00Z/PT2S');
  assert.equal(sub.kind, 'approximated');
  assert.equal(sub.kind === 'approximated' && sub.schedule, '* * * * *');
  assert.match(sub.kind === 'approximated' ? sub.note : '', /10 times/);
  const odd = importChronosSchedule('R/2020-01-01T00:00:00Z/PT90M');
  assert.equal(odd.kind, 'approximated');
  assert.match(odd.kind === 'approximated' ? odd.note : '', /does not divide/);
  assert.equal(importChronosSchedule('every day').kind, 'invalid');
});
