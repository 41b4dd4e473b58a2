import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReleaseSummary } from '../../store/types.ts';
import { failRateBand, frequencyBand, leadTimeBand, recoveryBand } from './bands.ts';
import { doraReport, spread, weeksOf } from './figures.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
let nextId = 1;

function rel(
  service: string,
  o: Partial<ReleaseSummary> & { endedAt: number },
  environment = 'prod',
): ReleaseSummary {
  return {
    id: nextId++,
    service,
    environment,
    namespace: environment,
    version: String(nextId),
    manifestDigest: 'd',
    kind: 'deploy',
    sourceRelease: undefined,
    actor: 'ann',
    source: {},
    outcome: 'succeeded',
    message: '',
    startedAt: o.endedAt - 5 * MIN,
    ...o,
  };
}

// Two services over two weeks: a failed deploy fixed forward, a deploy rolled back within the
// hour, a rollback long after its deploy (not a failure), a cancelled deploy, and releases of
// another environment and after the window that must not count.
function history(): ReleaseSummary[] {
  nextId = 1;
  return [
    rel('a', { endedAt: DAY + HOUR, source: { commitTime: DAY - 2 * HOUR } }), // lead 3 h
    rel('a', { endedAt: 2 * DAY + 10 * MIN, outcome: 'failed', source: { commitTime: DAY } }),
    rel('a', { endedAt: 2 * DAY + 40 * MIN, source: { commitTime: 2 * DAY } }), // fix: lead 40 min, recovery 30 min
    rel('a', { endedAt: 3 * DAY, source: { commitTime: 2 * DAY } }), // lead 1 day, rolled back
    rel('a', { kind: 'rollback', startedAt: 3 * DAY + 20 * MIN, endedAt: 3 * DAY + 25 * MIN }),
    rel('b', { endedAt: 9 * DAY, source: { commitTime: 9 * DAY - 5 * HOUR, mergedAt: 9 * DAY - HOUR } }),
    rel('b', { endedAt: 9 * DAY + HOUR, outcome: 'cancelled' }),
    rel('b', { endedAt: 10 * DAY, source: { commitTime: 10 * DAY - 2 * HOUR } }),
    rel('b', { kind: 'rollback', startedAt: 10 * DAY + 2 * HOUR, endedAt: 10 * DAY + 2 * HOUR + 5 * MIN }),
    rel('a', { endedAt: 4 * DAY, outcome: 'failed' }, 'staging'),
    rel('b', { endedAt: 15 * DAY, outcome: 'failed' }),
  ];
}

test('the five figures of a constructed history, overall and per service', () => {
  const r = doraReport('prod', history(), { from: 0, to: 14 * DAY });
  assert.deepEqual(r.overall, {
    frequency: { deployments: 5, perDay: 5 / 14, perWeek: 2.5, band: 'high' },
    leadTime: { count: 5, medianMs: 3 * HOUR, p90Ms: DAY, band: 'elite' },
    mergeToDeploy: { count: 1, medianMs: HOUR, p90Ms: HOUR },
    changeFailRate: { failed: 2, changes: 6, rate: 2 / 6, band: 'low' },
    recovery: { count: 2, open: 0, medianMs: 27.5 * MIN, band: 'elite' },
    reworkRate: { rework: 3, releases: 8, rate: 3 / 8 },
  });
  assert.deepEqual(
    r.services.map((s) => [
      s.service,
      s.changeFailRate.failed,
      s.changeFailRate.changes,
      s.reworkRate.rework,
    ]),
    [
      ['a', 2, 4, 2],
      ['b', 0, 2, 1],
    ],
  );
  assert.equal(r.services[1]?.changeFailRate.band, 'elite');
});

test('week by week, the last week ending at the window end', () => {
  const r = doraReport('prod', history(), { from: 0, to: 14 * DAY });
  assert.deepEqual(r.weeks, [
    {
      from: 0,
      to: 7 * DAY,
      deployments: 3,
      failed: 2,
      changes: 4,
      leadTimeMedianMs: 3 * HOUR,
      recoveryMedianMs: 27.5 * MIN,
    },
    {
      from: 7 * DAY,
      to: 14 * DAY,
      deployments: 2,
      failed: 0,
      changes: 2,
      leadTimeMedianMs: 3.5 * HOUR,
      recoveryMedianMs: null,
    },
  ]);
  assert.deepEqual(weeksOf({ from: 0, to: 10 * DAY }), [
    { from: 0, to: 3 * DAY },
    { from: 3 * DAY, to: 10 * DAY },
  ]);
});

test('an interrupted deploy is a failure; one not yet followed by a success is open', () => {
  nextId = 1;
  const r = doraReport('prod', [rel('a', { endedAt: HOUR, outcome: 'interrupted' })], { from: 0, to: DAY });
  assert.deepEqual(r.overall.changeFailRate, { failed: 1, changes: 1, rate: 1, band: 'low' });
  assert.deepEqual(r.overall.recovery, { count: 0, open: 1, medianMs: null, band: null });
  assert.deepEqual(r.overall.frequency, { deployments: 0, perDay: 0, perWeek: 0, band: null });
});

test('the intervention time decides whether a later rollback makes a deploy a failure', () => {
  const h = history();
  assert.equal(doraReport('prod', h, { from: 0, to: 14 * DAY }, 3 * HOUR).overall.changeFailRate.failed, 3);
  assert.equal(doraReport('prod', h, { from: 0, to: 14 * DAY }, 10 * MIN).overall.changeFailRate.failed, 1);
});

test('an empty environment has no figures and no bands', () => {
  const r = doraReport('prod', [], { from: 0, to: 7 * DAY });
  assert.equal(r.overall.leadTime.band, null);
  assert.equal(r.overall.changeFailRate.rate, null);
  assert.equal(r.overall.reworkRate.rate, null);
  assert.deepEqual(r.services, []);
});

test('median and p90 by nearest rank', () => {
  assert.deepEqual(spread([]), { count: 0, medianMs: null, p90Ms: null });
  assert.deepEqual(spread([5]), { count: 1, medianMs: 5, p90Ms: 5 });
  assert.deepEqual(spread([4, 1, 3, 2]), { count: 4, medianMs: 2.5, p90Ms: 4 });
  assert.deepEqual(spread([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), { count: 10, medianMs: 5.5, p90Ms: 9 });
});

test('the DORA bands at their edges', () => {
  assert.deepEqual([1, 1 / 7, 1 / 30, 0.01].map(frequencyBand), ['elite', 'high', 'medium', 'low']);
  assert.deepEqual([DAY - 1, DAY, 7 * DAY, 30 * DAY].map(leadTimeBand), ['elite', 'high', 'medium', 'low']);
  assert.deepEqual([0.05, 0.1, 0.15, 0.16].map(failRateBand), ['elite', 'high', 'medium', 'low']);
  assert.deepEqual([HOUR - 1, HOUR, DAY, 7 * DAY].map(recoveryBand), ['elite', 'high', 'medium', 'low']);
});
