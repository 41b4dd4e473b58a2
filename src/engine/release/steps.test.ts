import { test } from 'node:test';
import assert from 'node:assert/strict';
import { release } from '../../store/driver-contract.ts';
import { openStore } from '../../store/open.ts';
import { keyOf } from '../../store/types.ts';
import { CancelledError } from '../errors.ts';
import type { Unsequenced } from '../progress.ts';
import { StepRunner } from './steps.ts';

async function setup() {
  const store = await openStore(':memory:');
  const r = await store.startRelease(release({ objects: [] }));
  return { store, id: keyOf(r) };
}

test('steps are recorded with outcome, message and timings, and emitted as events', async () => {
  const { store, id } = await setup();
  const events: Unsequenced[] = [];
  let t = 100;
  const runner = new StepRunner(
    store,
    id,
    (e) => events.push(e),
    new AbortController().signal,
    () => (t += 10),
  );
  await runner.run('plan', async (ctx) => {
    ctx.progress('rendering');
    return '5 objects';
  });
  await runner.skip('migrate', 'no migration declared');
  await assert.rejects(
    runner.run('apply', async () => {
      throw new Error('forbidden: quota exceeded');
    }),
    /quota/,
  );
  const steps = (await store.release(id)).steps;
  assert.deepEqual(
    steps.map((s) => [s.seq, s.name, s.outcome, s.message]),
    [
      [1, 'plan', 'succeeded', '5 objects'],
      [2, 'migrate', 'skipped', 'no migration declared'],
      [3, 'apply', 'failed', 'forbidden: quota exceeded'],
    ],
  );
  assert.ok(steps.every((s) => s.endedAt !== undefined && s.endedAt >= s.startedAt));
  assert.deepEqual(
    events.map((e) => `${e.type}:${'step' in e ? e.step : ''}`),
    [
      'step-start:plan',
      'step-progress:plan',
      'step-end:plan',
      'step-start:migrate',
      'step-end:migrate',
      'step-start:apply',
      'step-end:apply',
    ],
  );
  await store.close();
});

test('an abort during a step records it as cancelled and raises CancelledError', async () => {
  const { store, id } = await setup();
  const ac = new AbortController();
  const runner = new StepRunner(store, id, () => undefined, ac.signal);
  await assert.rejects(
    runner.run('track', async (ctx) => {
      ac.abort();
      await new Promise((r) => setTimeout(r, 5));
      throw ctx.signal.reason as Error;
    }),
    CancelledError,
  );
  assert.equal((await store.release(id)).steps[0]?.outcome, 'cancelled');
  await store.close();
});
