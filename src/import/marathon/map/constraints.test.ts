import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMappers } from '../testing.ts';
import { mapConstraints, mapKillGrace } from './constraints.ts';

test('CLUSTER constraints → node selector; hostname UNIQUE and other operators are dropped', () => {
  const r = runMappers([mapConstraints], {
    constraints: [
      ['rack', 'CLUSTER', 'a'],
      'zone:CLUSTER:eu-1',
      ['hostname', 'UNIQUE'],
      ['rack', 'LIKE', 'a.*'],
    ],
  });
  assert.deepEqual(r.m.placement, { nodeSelector: { rack: 'a', zone: 'eu-1' } });
  assert.match(r.at('constraints[2]')?.note ?? '', /anti-affinity/);
  assert.equal(r.at('constraints[3]')?.outcome, 'dropped');
});

test('taskKillGracePeriodSeconds is the pod’s termination grace period', () => {
  const r = runMappers([mapKillGrace], { taskKillGracePeriodSeconds: 120 });
  assert.deepEqual(r.m.pod, { terminationGracePeriod: '120s' });
  assert.equal(r.at('taskKillGracePeriodSeconds')?.outcome, 'mapped');
});
