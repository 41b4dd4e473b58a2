import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMappers } from '../testing.ts';
import { mapDropped } from './dropped.ts';
import { mapRollout } from './rollout.ts';

test('deliberate drops carry their reason, runtime state is named as such, rollout settings approximated', () => {
  const r = runMappers([mapRollout, mapDropped], {
    dependencies: ['/db'],
    tasksRunning: 2,
    upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0.2 },
    readinessChecks: [],
  });
  assert.match(r.at('dependencies')?.note ?? '', /retry its dependencies/);
  assert.match(r.at('tasksRunning')?.note ?? '', /runtime state/);
  assert.equal(r.at('upgradeStrategy.minimumHealthCapacity')?.outcome, 'approximated');
  assert.equal(r.at('readinessChecks')?.to, 'health');
});
