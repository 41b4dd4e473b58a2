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

test('the model converts: a timezone reads a Z start as wall-clock time, months are months', () => {
  // Chronos: scheduleTimeZone takes precedence over the Z in the schedule (docs/schedules.md)
  assert.deepEqual(importChronosSchedule('R/2014-10-10T18:32:00Z/PT60M', 'America/Los_Angeles'), {
    kind: 'exact',
    schedule: 'R/2014-10-10T18:32:00Z/PT60M',
    note: undefined,
  });
  assert.equal(importChronosSchedule('R/2016-01-15T06:00:00Z/P1M').kind, 'exact');
  assert.equal(importChronosSchedule('R/2016-03-10T00:00:00Z/P1Y').kind, 'exact');
  // an offset that is not the zone's: the model refuses; the nearest is what Chronos ran (03:00 London)
  const shifted = importChronosSchedule('R/2016-07-01T03:00:00+03:00/P1D', 'Europe/London');
  assert.equal(shifted.kind, 'approximated');
  assert.equal(shifted.kind === 'approximated' && shifted.schedule, '0 3 * * *');
  assert.match(shifted.kind === 'approximated' ? shifted.note : '', /UTC\+03:00/);
  // a start with seconds: the nearest cron at the whole minute, not the ISO text the model refuses
  const seconds = importChronosSchedule('R/2016-01-01T00:15:30Z/PT30M');
  assert.deepEqual(seconds.kind === 'approximated' && seconds.schedule, '15-59/30 * * * *');
  assert.match(seconds.kind === 'approximated' ? seconds.note : '', /has seconds/);
  // a repeat count alone: the reason is the model's, the cron its exact forever form
  const finite = importChronosSchedule('R10/2016-01-01T00:00:00Z/PT2H');
  assert.equal(finite.kind === 'approximated' && finite.schedule, '0 */2 * * *');
  assert.match(finite.kind === 'approximated' ? finite.note : '', /R10 repeats 10 time\(s\)/);
  assert.equal(importChronosSchedule('R//P1MT1H').kind, 'invalid');
});
