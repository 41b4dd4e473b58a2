import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../cluster/types.ts';
import { applyRemovals, displayPath, findDrift, ignored, ownedPaths, removalPatch } from './drift.ts';

// managedFields as the API server writes them after ferry's server-side apply, `kubectl set env
// deploy/web HACK=1` and `kubectl label` on the pod template (fieldsV1 format).
function deployment(): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'test',
      labels: { 'ferry.dev/service': 'web' },
      annotations: { 'deployment.kubernetes.io/revision': '2' },
      managedFields: [
        {
          manager: 'ferry',
          operation: 'Apply',
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:metadata': { 'f:labels': { 'f:ferry.dev/service': {} } },
            'f:spec': {
              'f:replicas': {},
              'f:template': {
                'f:metadata': { 'f:labels': { 'f:app': {} } },
                'f:spec': {
                  'f:containers': {
                    'k:{"name":"web"}': {
                      '.': {},
                      'f:image': {},
                      'f:name': {},
                      'f:env': { 'k:{"name":"PORT"}': { '.': {}, 'f:name': {}, 'f:value': {} } },
                    },
                  },
                },
              },
            },
          },
        },
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:metadata': { 'f:annotations': { '.': {}, 'f:deployment.kubernetes.io/revision': {} } },
          },
        },
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          subresource: 'status',
          fieldsV1: { 'f:status': { 'f:replicas': {} } },
        },
        {
          manager: 'kubectl-set',
          operation: 'Update',
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:spec': {
              'f:template': {
                'f:spec': {
                  'f:containers': {
                    'k:{"name":"web"}': {
                      'f:env': { 'k:{"name":"HACK"}': { '.': {}, 'f:name': {}, 'f:value': {} } },
                    },
                  },
                },
              },
            },
          },
        },
        {
          manager: 'kubectl-label',
          operation: 'Update',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:spec': { 'f:template': { 'f:metadata': { 'f:labels': { 'f:hack': {} } } } } },
        },
      ],
    },
    spec: {
      replicas: 2,
      template: {
        metadata: { labels: { app: 'web', hack: 'yes' } },
        spec: {
          containers: [
            { name: 'sidecar', image: 's' },
            {
              name: 'web',
              image: 'r/web:1',
              env: [
                { name: 'PORT', value: '8080' },
                { name: 'HACK', value: '1' },
              ],
            },
          ],
        },
      },
    },
  };
}

test('drift: fields other managers own and ferry does not; the control plane and status are not drift', () => {
  const d = findDrift(deployment());
  assert.deepEqual(
    d.map((x) => `${x.display} (${x.manager})`),
    [
      'spec.template.metadata.labels.hack (kubectl-label)',
      'spec.template.spec.containers[name=web].env[name=HACK] (kubectl-set)',
    ],
  );
});

test('drift: ignore patterns by kind and path prefix', () => {
  assert.deepEqual(
    findDrift(deployment(), ['Deployment:spec.template.metadata.labels']).map((x) => x.manager),
    ['kubectl-set'],
  );
  assert.deepEqual(findDrift(deployment(), ['*:spec.template']), []);
  assert.equal(findDrift(deployment(), ['Service:spec.template']).length, 2, 'another kind is not ignored');
  assert.equal(
    ignored('Deployment', 'spec.replicasX', ['Deployment:spec.replicas']),
    false,
    'whole segments only',
  );
});

test('the removal patch tests each list item before removing it, and applies as the server would', () => {
  const live = deployment();
  const ops = removalPatch(live, findDrift(live));
  assert.deepEqual(ops, [
    { op: 'remove', path: '/spec/template/metadata/labels/hack' },
    { op: 'test', path: '/spec/template/spec/containers/1/name', value: 'web' },
    { op: 'test', path: '/spec/template/spec/containers/1/env/1/name', value: 'HACK' },
    { op: 'remove', path: '/spec/template/spec/containers/1/env/1' },
  ]);
  const after = applyRemovals(live, ops);
  const spec = after.spec as {
    template: {
      metadata: { labels: Record<string, string> };
      spec: { containers: { env?: { name: string }[] }[] };
    };
  };
  assert.deepEqual(spec.template.metadata.labels, { app: 'web' });
  assert.deepEqual(
    spec.template.spec.containers[1]?.env?.map((e) => e.name),
    ['PORT'],
  );
  assert.notEqual(after, live, 'a copy');
  // nothing left to remove: no operations
  assert.deepEqual(removalPatch(after, findDrift(live)), []);
});

test('owned paths: list items added whole, map fields one by one; display names read like kubectl', () => {
  const paths = ownedPaths({
    'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } },
    'f:spec': {
      'f:finalizers': { 'v:"x"': {} },
      'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {} } },
    },
  });
  assert.deepEqual(paths.map(displayPath), [
    'metadata.labels.a',
    'spec.finalizers["x"]',
    'spec.ports[port=80,protocol=TCP]',
  ]);
  assert.equal(
    displayPath([{ f: 'metadata' }, { f: 'annotations' }, { f: 'ferry.dev/x' }]),
    'metadata.annotations["ferry.dev/x"]',
  );
});
