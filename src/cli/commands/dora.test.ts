// `ferry dora` over a real SQLite store holding a history with known figures.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DoraReport } from '../../engine/dora/figures.ts';
import { seedDoraHistory } from '../../engine/dora/testing.ts';
import { openStore } from '../../store/open.ts';
import { runFerry, tempDir } from '../testing.ts';
import { span } from './dora.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

async function seeded(): Promise<string> {
  const state = join(tempDir('ferry-dora-cli-'), 'state.db');
  const store = await openStore(state);
  await seedDoraHistory(store, Date.now());
  await store.close();
  return state;
}

const dora = (state: string, ...args: string[]) =>
  runFerry(['-C', 'examples/anna', 'dora', ...args], { FERRY_STATE: state, KUBECONFIG: '/nonexistent' });

test('ferry dora: the figures of prod over 30 days, as JSON and as text with their bands', async () => {
  const state = await seeded();
  const r = await dora(state, '--since', '30d', '-o', 'json');
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as DoraReport;
  assert.equal(doc.environment, 'prod');
  assert.equal(doc.window.to - doc.window.from, 30 * 24 * HOUR);
  assert.deepEqual(doc.overall, {
    frequency: { deployments: 4, perDay: 4 / 30, perWeek: (4 / 30) * 7, band: 'medium' },
    leadTime: { count: 4, medianMs: 4 * HOUR, p90Ms: 24 * HOUR, band: 'elite' },
    mergeToDeploy: { count: 0, medianMs: null, p90Ms: null },
    changeFailRate: { failed: 2, changes: 5, rate: 0.4, band: 'low' },
    recovery: { count: 2, open: 0, medianMs: 27.5 * MIN, band: 'elite' },
    reworkRate: { rework: 3, releases: 6, rate: 0.5 },
  });
  assert.equal(doc.weeks.length, 5);
  assert.equal(
    doc.weeks.reduce((n, w) => n + w.deployments, 0),
    4,
  );

  const text = await dora(state);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^change fail rate +40% \(2 of 5\) +low$/m);
  assert.match(text.stdout, /^change lead time +median 4\.0h, p90 1\.0d \(4\) +elite$/m);
  assert.match(text.stdout, /^recovery time +median 28m \(2 recovered, 0 open\) +elite$/m);

  // a week back holds only the last deploy
  const week = JSON.parse((await dora(state, '--since', '1w', '-o', 'json')).stdout) as DoraReport;
  assert.equal(week.overall.frequency.deployments, 1);
  assert.equal(week.overall.changeFailRate.rate, 0);
});

test('ferry dora: a bad window or an unknown environment is exit 2 naming what to fix', async () => {
  const state = await seeded();
  const bad = await dora(state, '--since', '30', '-o', 'json');
  assert.equal(bad.code, 2);
  assert.match((JSON.parse(bad.stdout) as { error: { message: string } }).error.message, /^--since: "30"/);
  const env = await dora(state, '--env', 'staging', '-o', 'json');
  assert.equal(env.code, 2);
  assert.equal((JSON.parse(env.stdout) as { error: { code: string } }).error.code, 'E_UNKNOWN_ENV');
});

test('span: minutes, hours, days', () => {
  assert.deepEqual([null, 27.5 * MIN, 3 * HOUR, 36 * HOUR].map(span), ['-', '28m', '3.0h', '1.5d']);
});
