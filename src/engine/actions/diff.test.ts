import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalize } from './diff.ts';

test('normalize drops server-owned fields and redacts secret values', () => {
  const n = normalize({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'hcn-postgres',
      uid: 'u',
      resourceVersion: '12',
      managedFields: [],
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
    },
    data: { url: 'cG9zdGdyZXM6Ly9zZWNyZXQ=' },
    stringData: { password: 'hunter2' },
    status: {},
  });
  assert.deepEqual(n, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'hcn-postgres' },
    data: { url: '<redacted>' },
    stringData: { password: '<redacted>' },
  });
  assert.ok(!JSON.stringify(n).includes('hunter2'));
});
