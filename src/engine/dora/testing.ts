// A production history with known DORA figures, relative to `now`, for the tests of the CLI, the
// API and the dashboard (which must all show the same numbers): in 30 days, 5 changes of hcn in
// prod — one failed and fixed 30 min later, one rolled back 20 min after it — and a release in
// test that must not count. Expected over 30 days: 4 deployments, lead time median 4 h and p90
// 1 day, fail rate 2 of 5, recovery median 27.5 min, rework 3 of 6.
import type { Store } from '../../store/store.ts';
import { keyOf, type FinalOutcome, type ReleaseKind, type ReleaseSource } from '../../store/types.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export async function seedDoraHistory(store: Store, now: number): Promise<void> {
  const rows: [string, ReleaseKind, FinalOutcome, number, ReleaseSource][] = [
    ['prod', 'deploy', 'succeeded', now - 20 * DAY, { commit: 'a1', commitTime: now - 20 * DAY - 3 * HOUR }],
    ['prod', 'deploy', 'failed', now - 19 * DAY, { commit: 'a2' }],
    [
      'prod',
      'deploy',
      'succeeded',
      now - 19 * DAY + 30 * MIN,
      { commit: 'a3', commitTime: now - 19 * DAY - 10 * MIN },
    ],
    ['prod', 'deploy', 'succeeded', now - 10 * DAY, { commit: 'a4', commitTime: now - 11 * DAY }],
    ['prod', 'rollback', 'succeeded', now - 10 * DAY + 25 * MIN, {}],
    ['prod', 'deploy', 'succeeded', now - 2 * DAY, { commit: 'a6', commitTime: now - 2 * DAY - 5 * HOUR }],
    ['test', 'deploy', 'failed', now - 3 * DAY, {}],
  ];
  let n = 0;
  for (const [environment, kind, outcome, endedAt, source] of rows) {
    n += 1;
    const startedAt = endedAt - 5 * MIN;
    const r = await store.startRelease({
      service: 'hcn',
      environment,
      namespace: `anna-${environment}`,
      version: `1.${n}.0`,
      manifestDigest: `d${n}`,
      kind,
      sourceRelease: undefined,
      actor: 'ann@box',
      objects: [],
      migrateDown: undefined,
      verification: { jobs: [], http: [], observeSeconds: 0 },
      source,
      startedAt,
    });
    const plan = await store.startStep(keyOf(r), 'plan', startedAt);
    await store.endStep(keyOf(r), plan, 'succeeded', 'planned', startedAt + 1000);
    const apply = await store.startStep(keyOf(r), 'apply', startedAt + 1000);
    await store.endStep(keyOf(r), apply, outcome === 'failed' ? 'failed' : 'succeeded', '', endedAt);
    await store.finishRelease(keyOf(r), outcome, outcome === 'failed' ? 'rollout failed' : '', endedAt);
  }
}
