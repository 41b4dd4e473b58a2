import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMappers } from '../testing.ts';
import { mapPlacement } from './placement.ts';

test('node.labels == constraints become the node selector; others, preferences and max per node are dropped', () => {
  const r = runMappers([mapPlacement], {
    deploy: {
      placement: {
        constraints: ['node.labels.pool == web', 'node.role == manager', 'node.labels.zone != a'],
        preferences: [{ spread: 'node.labels.zone' }],
        max_replicas_per_node: 1,
      },
    },
  });
  assert.deepEqual(r.m.placement, { nodeSelector: { pool: 'web' } });
  assert.equal(r.at('deploy.placement.constraints[0]')?.outcome, 'mapped');
  assert.equal(r.at('deploy.placement.constraints[1]')?.outcome, 'dropped');
  assert.equal(r.at('deploy.placement.constraints[2]')?.outcome, 'dropped');
  assert.equal(r.at('deploy.placement.preferences')?.outcome, 'dropped');
  assert.equal(r.at('deploy.placement.max_replicas_per_node')?.outcome, 'dropped');
});
