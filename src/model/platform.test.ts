import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolvePlatform } from './platform.ts';

test('every default filled', () => {
  const p = resolvePlatform(
    { environments: { test: { domain: 'test.example.com' }, prod: null } },
    '/x/ferry.platform.yaml',
  );
  assert.deepEqual(p.policy, {
    cpuRequestRatio: 0.25,
    memoryRequestRatio: 1,
    cronConcurrency: 'Forbid',
    progressDeadlineSeconds: 120,
    revisionHistoryLimit: 5,
    ingressClass: 'nginx',
    internalIngressClass: 'nginx-internal',
    spot: {
      nodeSelector: { 'ferry.dev/pool': 'spot' },
      tolerations: [{ key: 'ferry.dev/spot', operator: 'Exists', value: undefined, effect: 'NoSchedule' }],
    },
    registry: undefined,
    driftIgnore: [],
  });
  assert.deepEqual(p.environments[0], {
    name: 'test',
    namespace: 'test',
    createNamespace: true,
    context: undefined,
    domain: 'test.example.com',
    tls: { kind: 'wildcard', secretName: 'wildcard-test-tls' },
    ingressClass: 'nginx',
    protected: false,
    approvals: 0,
    observeSeconds: 0,
    databaseAdmin: undefined,
  });
  assert.deepEqual(p.environments[1]?.tls, { kind: 'none' }, 'no domain, no certificate');
  assert.equal(p.previews, undefined);
  assert.deepEqual(p.notify, []);
});

test('explicit settings win; cert-manager and previews', () => {
  const p = resolvePlatform(
    {
      environments: {
        test: {
          namespace: 'anna-test',
          domain: 't.example.com',
          tls: { certManager: { issuer: 'le' } },
          observe: '5m',
          createNamespace: false,
        },
        prod: { domain: 'example.com', tls: { disabled: true }, ingressClass: 'public' },
      },
      previews: { from: 'test' },
      policy: {
        cronConcurrency: 'allow',
        progressDeadline: '10m',
        spot: { nodeSelector: { pool: 'cheap' } },
      },
      notify: [{ slack: '${SLACK}' }, { webhook: 'https://h' }, { console: true }, { console: false }],
    },
    undefined,
  );
  const [test0, prod] = p.environments;
  assert.deepEqual(test0?.tls, { kind: 'cert-manager', issuer: 'le', issuerKind: 'ClusterIssuer' });
  assert.equal(test0?.namespace, 'anna-test');
  assert.equal(test0?.observeSeconds, 300);
  assert.equal(test0?.createNamespace, false);
  assert.deepEqual(prod?.tls, { kind: 'none' });
  assert.equal(prod?.ingressClass, 'public');
  assert.equal(p.policy.cronConcurrency, 'Allow');
  assert.equal(p.policy.progressDeadlineSeconds, 600);
  assert.deepEqual(p.policy.spot.nodeSelector, { pool: 'cheap' });
  assert.deepEqual(p.previews, {
    from: 'test',
    namespace: 'pr-${number}',
    domain: 'pr-${number}.t.example.com',
    host: undefined,
    services: undefined,
    overrides: { instances: 1, spot: false, resources: {} },
    ttlSeconds: 259200,
    maxCount: 10,
    label: undefined,
    forkLabel: 'preview',
    version: 'sha-${head_short_sha}',
    waitForVersion: true,
    // cert-manager: each preview's Ingress asks for its own certificate
    tlsSecret: undefined,
    // as the from environment
    backing: undefined,
  });
  assert.deepEqual(p.notify, [
    { kind: 'slack', url: '${SLACK}' },
    { kind: 'webhook', url: 'https://h' },
    { kind: 'console' },
  ]);
});
