// The runbook's state machine under faults: a process killed mid-step, an abort from any step, a
// failing check after a weight. The records are what the store keeps; `position` is all that
// decides what `next` runs and where the traffic is.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveCutover } from '../../model/cutover.ts';
import { cutoverApp } from '../../model/cutover-testing.ts';
import type { Step, StepName, StepOutcome } from '../../store/types.ts';
import { position, stateBefore, stepName } from './machine.ts';

const plan = resolveCutover(cutoverApp('traefik'), 'prod');
const steps = plan.steps;
let seq = 0;
const rec = (name: StepName, outcome: StepOutcome, message = ''): Step => ({
  seq: ++seq,
  name,
  outcome,
  message,
  startedAt: seq * 1000,
  endedAt: outcome === 'running' ? undefined : seq * 1000 + 500,
});
/** the records of plan steps 0..n-1 all succeeded */
const upTo = (n: number) => steps.slice(0, n).map((s) => rec(stepName(s), 'succeeded'));

test('a fresh cut-over starts at step 0 with all traffic on the old platform', () => {
  const p = position(steps, undefined, [], false);
  assert.equal(p.phase, 'not-started');
  assert.deepEqual(p.state, { maintenance: false, weight: 0 });
});

test('killed mid-step: the attempt left running is interrupted, next runs that step again', () => {
  for (let i = 0; i < steps.length; i++) {
    const records = [...upTo(i), rec(stepName(steps[i]!), 'running')];
    const live = position(steps, 'running', records, true);
    assert.equal(live.phase, 'running');
    const p = position(steps, 'running', records, false);
    assert.equal(p.phase, 'stopped', `step ${i}`);
    assert.deepEqual(p.reason, { kind: 'interrupted', step: i });
    assert.equal(p.next, i);
    assert.deepEqual(p.state, stateBefore(steps, i));
    // after the resume marks it interrupted and runs it again successfully
    const resumed = [
      ...upTo(i),
      rec(stepName(steps[i]!), 'interrupted'),
      rec(stepName(steps[i]!), 'succeeded'),
    ];
    assert.equal(position(steps, 'running', resumed, false).next, i + 1);
  }
});

test('abort from any step: the record ends cancelled and the traffic is all on the old platform', () => {
  for (let i = 0; i <= steps.length; i++) {
    const records = [...upTo(i), rec('abort', 'succeeded')];
    const p = position(steps, 'cancelled', records, false);
    assert.equal(p.phase, 'aborted');
    assert.deepEqual(p.state, { maintenance: false, weight: 0 });
  }
});

test('a failing check after a weight: the weight before it is where the traffic is, next tries it again', () => {
  const w25 = steps.findIndex((s) => s.kind === 'weight' && s.weight === 25);
  const records = [...upTo(w25), rec('weight', 'failed', 'check errors failed'), rec('revert', 'succeeded')];
  const p = position(steps, 'running', records, false);
  assert.equal(p.phase, 'stopped');
  assert.equal(p.next, w25);
  assert.deepEqual(p.state, { maintenance: false, weight: 5 });
  assert.deepEqual(p.reason, { kind: 'failed', step: w25, message: 'check errors failed' });
  const retried = [...records, rec('weight', 'succeeded')];
  assert.deepEqual(position(steps, 'running', retried, false).state, { maintenance: false, weight: 25 });
});

test('Ctrl-C: a cancelled attempt stops the runbook there; a confirm step waits for its confirmation', () => {
  const confirm = steps.findIndex((s) => s.kind === 'run');
  const p = position(steps, 'running', upTo(confirm), false);
  assert.deepEqual(p.reason, { kind: 'confirm', text: 'the database answers on the new platform' });
  assert.deepEqual(p.state, { maintenance: true, weight: 0 });
  const c = position(steps, 'running', [...upTo(2), rec('user-step', 'cancelled', 'stopped')], false);
  assert.deepEqual(c.reason, { kind: 'cancelled', step: 2, message: 'stopped' });
});

test('all steps done: succeeded, every request on the new platform', () => {
  const p = position(steps, 'succeeded', upTo(steps.length), false);
  assert.equal(p.phase, 'succeeded');
  assert.deepEqual(p.state, { maintenance: false, weight: 100 });
});
