import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PatchShapeError, strategicMerge } from './strategic-merge.ts';

const pod = {
  spec: {
    containers: [
      {
        name: 'api',
        image: 'a:1',
        env: [{ name: 'A', value: '1' }],
        ports: [{ containerPort: 80, name: 'http' }],
      },
      { name: 'proxy', image: 'p:1' },
    ],
    volumes: [{ name: 'v1', emptyDir: {} }],
    tolerations: [{ key: 't1' }],
  },
};

test('lists with a merge key merge item by item; others are replaced; maps merge; null deletes', () => {
  const out = strategicMerge(pod, {
    spec: {
      containers: [
        { name: 'api', env: [{ name: 'B', value: '2' }], ports: [{ containerPort: 80, protocol: 'TCP' }] },
        { name: 'new', image: 'n:1' },
      ],
      tolerations: [{ key: 't2' }],
      volumes: null,
    },
  });
  assert.deepEqual(out.spec.containers, [
    {
      name: 'api',
      image: 'a:1',
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
      ports: [{ containerPort: 80, name: 'http', protocol: 'TCP' }],
    },
    { name: 'proxy', image: 'p:1' },
    { name: 'new', image: 'n:1' },
  ]);
  assert.deepEqual(out.spec.tolerations, [{ key: 't2' }], 'tolerations have no merge key: replaced');
  assert.equal('volumes' in out.spec, false);
  assert.equal(pod.spec.containers[0]!.env?.length, 1, 'the input is not changed');
});

test('directives: $patch delete (item, map) and replace (list, map)', () => {
  const out = strategicMerge(pod, {
    spec: {
      containers: [{ name: 'proxy', $patch: 'delete' }],
      volumes: [{ $patch: 'replace' }, { name: 'v2' }],
    },
  });
  assert.deepEqual(
    out.spec.containers.map((c) => c.name),
    ['api'],
  );
  assert.deepEqual(out.spec.volumes, [{ name: 'v2' }]);
  const replaced = strategicMerge({ a: { x: 1, y: 2 } }, { a: { $patch: 'replace', z: 3 } });
  assert.deepEqual(replaced, { a: { z: 3 } });
  assert.deepEqual(strategicMerge({ a: { x: 1 }, b: 1 }, { a: { $patch: 'delete' } }), { b: 1 });
});

test('Service ports merge by port, container ports by containerPort', () => {
  const svc = { spec: { ports: [{ name: 'http', port: 80, targetPort: 'http' }] } };
  const out = strategicMerge(svc, {
    spec: {
      ports: [
        { port: 80, nodePort: 30080 },
        { port: 443, name: 'https' },
      ],
    },
  });
  assert.deepEqual(out.spec.ports, [
    { name: 'http', port: 80, targetPort: 'http', nodePort: 30080 },
    { port: 443, name: 'https' },
  ]);
  assert.throws(
    () => strategicMerge(pod, { spec: { containers: [{ image: 'x' }] } }),
    (e: unknown) => e instanceof PatchShapeError && /needs its merge key name/.test(e.message),
  );
});
