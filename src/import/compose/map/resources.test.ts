import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMappers } from '../testing.ts';
import { composeCpu, composeMemory, mapResources } from './resources.ts';

test('compose sizes are binary; cores become millicores', () => {
  assert.equal(composeMemory('512M'), '512Mi');
  assert.equal(composeMemory('1g'), '1Gi');
  assert.equal(composeMemory(1024 ** 2 * 64), '64Mi');
  assert.equal(composeMemory('lots'), undefined);
  assert.equal(composeCpu('0.5'), '500m');
  assert.equal(composeCpu(2), 2);
  assert.equal(composeCpu(0), undefined);
});

test('limits are the limit; a reservation without a limit becomes it; otherwise it is the policy ratio', () => {
  const r = runMappers([mapResources], {
    deploy: { resources: { limits: { memory: '256M' }, reservations: { cpus: '0.25', memory: '128M' } } },
  });
  assert.deepEqual(r.m.resources, { memory: '256Mi', cpu: '250m' });
  assert.equal(r.at('deploy.resources.limits.memory')?.outcome, 'mapped');
  assert.equal(r.at('deploy.resources.reservations.cpus')?.to, 'resources.cpu');
  assert.equal(r.at('deploy.resources.reservations.memory')?.to, 'policy.memoryRequestRatio');
});
