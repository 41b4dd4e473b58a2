import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMappers } from '../testing.ts';
import { mapInstances, mapResources } from './resources.ts';

test('cpus and mem are the limit (not request = limit); instances are kept', () => {
  const r = runMappers([mapResources, mapInstances], { cpus: 0.5, mem: 1024, instances: 4 });
  assert.deepEqual(r.m.resources, { cpu: '500m', memory: '1Gi' });
  assert.equal(r.m.instances, 4);
  assert.match(r.at('cpus')?.note ?? '', /not request = limit/);
  const bad = runMappers([mapResources, mapInstances], { cpus: -1, mem: 'lots', instances: 1.5 });
  assert.equal(bad.m.resources, undefined);
  for (const p of ['cpus', 'mem', 'instances']) assert.equal(bad.at(p)?.outcome, 'dropped', p);
});
