import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadTarget, targetNames } from '../targets.ts';
import { testEnvironment, testWorkload } from './fixture.ts';
import type { Ingress } from './object.ts';
import { renderKubernetes } from './index.ts';
import { renderEnvironment } from './target.ts';

const migration = {
  command: { kind: 'shell' as const, script: 'migrate' },
  down: undefined,
  timeoutSeconds: 60,
};

test('an environment: Namespace first, then every service sorted together by kind and name', () => {
  const ws = [testWorkload({ service: 'b', migration }), testWorkload({ service: 'a', instances: 1 })];
  const docs = renderEnvironment(testEnvironment, ws, { jobs: true });
  assert.deepEqual(
    docs.map((d) => `${d.kind}/${d.metadata.name}`),
    [
      'Namespace/test',
      'Service/a',
      'Service/b',
      'Deployment/a',
      'Deployment/b',
      'Job/b-migrate-1.0.0',
      'PodDisruptionBudget/b',
    ],
  );
  const withoutJobs = renderEnvironment({ ...testEnvironment, createNamespace: false }, ws, { jobs: false });
  assert.deepEqual(
    withoutJobs.map((d) => d.kind),
    ['Service', 'Service', 'Deployment', 'Deployment', 'PodDisruptionBudget'],
  );
});

test('the registry knows kubernetes and loads it lazily; unknown names give undefined', async () => {
  assert.ok(targetNames().includes('kubernetes'));
  const k = await loadTarget('kubernetes');
  assert.equal(k?.name, 'kubernetes');
  assert.deepEqual(k?.toJson([]), { apiVersion: 'v1', kind: 'List', items: [] });
  assert.equal(await loadTarget('toString'), undefined);
  assert.equal(await loadTarget('nomad'), undefined);
});

test('routes without a host (no domain) have no host rule and no TLS; tls disabled renders none', () => {
  const route = { host: '', path: '/', public: true, allow: [], port: 'http' };
  const [noHost] = renderKubernetes(testWorkload({ routes: [route] })).objects.filter(
    (o): o is Ingress => o.kind === 'Ingress',
  );
  assert.deepEqual(noHost!.spec!.rules, [
    {
      http: {
        paths: [
          { path: '/', pathType: 'Prefix', backend: { service: { name: 'hcn', port: { name: 'http' } } } },
        ],
      },
    },
  ]);
  assert.equal(noHost!.spec!.tls, undefined);
  const [none] = renderKubernetes(
    testWorkload({
      environment: { ...testEnvironment, tls: { kind: 'none' } },
      routes: [{ ...route, host: 'hcn.test.example.com' }],
    }),
  ).objects.filter((o): o is Ingress => o.kind === 'Ingress');
  assert.equal(none!.spec!.tls, undefined);
});

test('two allow-lists of one visibility: two Ingresses with stable, distinct names', () => {
  const route = (allow: string[], path: string) => ({
    host: 'h.example.com',
    path,
    public: false,
    allow,
    port: 'http',
  });
  const names = (routes: ReturnType<typeof route>[]) =>
    renderKubernetes(testWorkload({ routes }))
      .objects.filter((o) => o.kind === 'Ingress')
      .map((o) => o.metadata.name);
  const a = names([route(['10.0.0.0/8'], '/a'), route(['192.168.0.0/16'], '/b')]);
  assert.equal(a.length, 2);
  assert.notEqual(a[0], a[1]);
  assert.ok(a.every((n) => n.startsWith('hcn-internal-')));
  assert.deepEqual(
    names([route(['192.168.0.0/16'], '/b'), route(['10.0.0.0/8'], '/a')]).sort(),
    [...a].sort(),
  );
});
