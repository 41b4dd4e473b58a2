import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ImportResult } from './types.ts';
import { untrueLines, valuesAt } from './truth.ts';

const m = {
  service: 'api',
  image: 'api',
  port: 8080,
  env: { A: '1' },
  crons: [{ name: 'sync', schedule: '* * * * *', command: 'x', retries: 3 }],
  routes: [{ host: 'a.example.com' }, { host: 'b.example.com', allow: ['10.0.0.0/8'] }],
};

test('report paths resolve in a manifest: names, any element, an index, port or ports', () => {
  assert.deepEqual(valuesAt(m, 'env.A'), ['1']);
  assert.deepEqual(valuesAt(m, 'crons.sync.retries'), [3]);
  assert.deepEqual(valuesAt(m, 'crons[0].command'), ['x']);
  assert.deepEqual(valuesAt(m, 'routes[].allow'), [['10.0.0.0/8']]);
  assert.deepEqual(valuesAt(m, 'ports'), [8080]);
  assert.deepEqual(valuesAt(m, 'crons.other.schedule'), []);
  assert.deepEqual(valuesAt(m, 'health'), []);
});

test('a mapped line to a field the manifest lacks is untrue; notional targets and other outcomes are not checked', () => {
  const r = {
    services: [{ manifest: m, version: undefined }],
    report: [
      { service: 'api', path: 'a', outcome: 'mapped', to: 'env.A' },
      { service: 'api', path: 'b', outcome: 'mapped', to: 'health' },
      { service: 'api', path: 'c', outcome: 'mapped', to: '(Deployment)' },
      { service: 'api', path: 'd', outcome: 'approximated', to: 'health', note: 'x' },
      { service: 'gone', path: 'e', outcome: 'mapped', to: 'env.A' },
      { service: 'api', path: 'f', outcome: 'mapped', to: 'env.A, routes[].public' },
    ],
  } as unknown as ImportResult;
  assert.deepEqual(untrueLines(r), [
    'b → health: not in the manifest of api',
    'e → env.A: the service "gone" was not imported',
    'f → routes[].public: not in the manifest of api',
  ]);
});
