// Quiet, stable objects: names depend on the object's own inputs only, objects that do not run
// the image do not change with the version, and pods roll for the config they read, not for
// unrelated manifest edits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Route } from '../../model/types.ts';
import { configRefs, setConfigDigests } from './config-digest.ts';
import { testWorkload } from './fixture.ts';
import { renderKubernetes } from './index.ts';
import type { KubeObject } from './object.ts';

const route = (over: Partial<Route>): Route => ({
  host: 'hcn.test.example.com',
  path: '/',
  public: false,
  allow: [],
  port: 'http',
  ...over,
});

const ingressNames = (routes: Route[]): Map<string, string> => {
  // route key → the name of the Ingress serving it
  const out = new Map<string, string>();
  for (const o of renderKubernetes(testWorkload({ routes })).objects) {
    if (o.kind !== 'Ingress') continue;
    const spec = (
      o as unknown as { spec: { rules: { host?: string; http: { paths: { path: string }[] } }[] } }
    ).spec;
    for (const r of spec.rules) for (const p of r.http.paths) out.set(`${r.host}${p.path}`, o.metadata.name);
  }
  return out;
};

test('removing a route never renames the Ingress of the others (the story: api-public-e3b0c4 → api-public)', () => {
  const cidr = fc.constantFrom('10.0.0.0/8', '192.168.0.0/16', '172.16.0.0/12');
  const arbRoute = fc.record({
    path: fc.constantFrom('/', '/api', '/admin', '/metrics', '/static'),
    public: fc.boolean(),
    allow: fc.uniqueArray(cidr, { maxLength: 2 }),
  });
  fc.assert(
    fc.property(
      fc.uniqueArray(arbRoute, { minLength: 2, maxLength: 6, selector: (r) => r.path }),
      fc.nat(),
      (rs, k) => {
        const routes = rs.map((r) => route(r));
        const before = ingressNames(routes);
        const drop = k % routes.length;
        const after = ingressNames(routes.filter((_, i) => i !== drop));
        for (const [key, name] of after)
          assert.equal(name, before.get(key), `${key} moved to another Ingress`);
      },
    ),
  );
});

test('a new version changes only what runs the image', () => {
  const w = testWorkload({ routes: [route({ public: true })], instances: 3 });
  const a = renderKubernetes(w).objects;
  const b = renderKubernetes({ ...w, version: '2.0.0', image: `${w.imageRepository}:2.0.0` }).objects;
  const changed = a
    .filter((o, i) => JSON.stringify(o) !== JSON.stringify(b[i]))
    .map((o) => `${o.kind}/${o.metadata.name}`);
  assert.deepEqual(changed, ['Deployment/hcn']);
});

test('a manifest edit that does not touch an object leaves it byte for byte the same', () => {
  const w = testWorkload({ routes: [route({ public: true })], instances: 3 });
  const a = renderKubernetes(w).objects;
  const b = renderKubernetes({
    ...w,
    manifestDigest: 'another',
    routes: [route({ public: true, path: '/v2' })],
  }).objects;
  const changed = a
    .filter((o, i) => JSON.stringify(o) !== JSON.stringify(b[i]))
    .map((o) => `${o.kind}/${o.metadata.name}`);
  assert.deepEqual(changed, ['Ingress/hcn-public']);
});

test('config digest: a pod template that reads a rendered ConfigMap or Secret carries a digest of its data', () => {
  const cm = (data: Record<string, string>): KubeObject =>
    ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'hcn-files', labels: {} },
      data,
    }) as KubeObject;
  const deployment = (): KubeObject => structuredClone(renderKubernetes(testWorkload()).objects[1]!);
  const withVolume = (d: KubeObject): KubeObject => {
    const spec = (d as unknown as { spec: { template: { spec: { volumes?: unknown[] } } } }).spec.template
      .spec;
    spec.volumes = [{ name: 'files', configMap: { name: 'hcn-files' } }];
    return d;
  };
  const digestOf = (objects: KubeObject[]): string | undefined => {
    setConfigDigests(objects);
    const d = objects.find((o) => o.kind === 'Deployment') as unknown as {
      spec: { template: { metadata: { annotations?: Record<string, string> } } };
    };
    return d.spec.template.metadata.annotations?.['ferry.dev/config-digest'];
  };
  const one = digestOf([cm({ a: '1' }), withVolume(deployment())]);
  assert.match(one ?? '', /^[0-9a-f]{16}$/);
  assert.equal(digestOf([cm({ a: '1' }), withVolume(deployment())]), one, 'deterministic');
  assert.notEqual(digestOf([cm({ a: '2' }), withVolume(deployment())]), one, 'new data rolls the pods');
  assert.equal(digestOf([cm({ a: '1' }), deployment()]), undefined, 'a pod that reads no config has none');
  assert.equal(digestOf([withVolume(deployment())]), undefined, 'config ferry does not render is not hashed');
  assert.deepEqual(
    [
      ...configRefs({
        containers: [
          {
            env: [{ valueFrom: { secretKeyRef: { name: 's1', key: 'k' } } }],
            envFrom: [{ configMapRef: { name: 'c1' } }],
          },
        ],
        volumes: [{ projected: { sources: [{ secret: { name: 's2' } }] } }],
      }),
    ].sort(),
    ['ConfigMap/c1', 'Secret/s1', 'Secret/s2'],
  );
});
