import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpuQuantity, cpuRequestMillis, memoryQuantity, resourceRequirements } from './resources.ts';
import { testPolicy } from './fixture.ts';

test('quantities', () => {
  assert.equal(cpuQuantity(500), '500m');
  assert.equal(cpuQuantity(2000), '2');
  assert.equal(memoryQuantity(512 * 1024 * 1024), '512Mi');
  assert.equal(memoryQuantity(2 * 1024 ** 3), '2Gi');
  assert.equal(memoryQuantity(1536), '1536');
  assert.equal(memoryQuantity(1000 * 1024), '1000Ki');
});

test('the manifest gives the limit; the CPU request is limit × ratio, memory request = limit by default', () => {
  const r = resourceRequirements({ cpuMillis: 500, memoryBytes: 512 * 1024 * 1024 }, testPolicy);
  assert.deepEqual(r, {
    limits: { cpu: '500m', memory: '512Mi' },
    requests: { cpu: '125m', memory: '512Mi' },
  });
});

test('CPU requests never equal limits unless the ratio is 1', () => {
  assert.equal(cpuRequestMillis(2, 0.9), 1);
  assert.equal(cpuRequestMillis(1000, 0.9999), 999);
  assert.equal(cpuRequestMillis(1000, 1), 1000);
  assert.equal(cpuRequestMillis(1, 0.5), 1);
});

test('memory ratio below 1 rounds down to whole MiB', () => {
  const r = resourceRequirements(
    { cpuMillis: 1000, memoryBytes: 1000 * 1024 * 1024 },
    { ...testPolicy, memoryRequestRatio: 0.333 },
  );
  assert.equal(r.requests?.['memory'], '333Mi');
});
