import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../cluster/types.ts';
import { parsePodLabel, parsePodLabels, withPodLabels } from './pod-labels.ts';
import { FerryError } from '../errors.ts';

const deployment: KObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'hcn', labels: { 'app.kubernetes.io/component': 'web' } },
  spec: { template: { metadata: { labels: { a: 'b' } }, spec: {} } },
};
const cron: KObject = {
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'hcn-sync', labels: { 'app.kubernetes.io/component': 'cron' } },
  spec: { jobTemplate: { spec: { template: { metadata: { labels: {} }, spec: {} } } } },
};

test('parses [component:]key=value and rejects the rest with exit code 2', () => {
  assert.deepEqual(parsePodLabel('web:ferry.dev/fault=never-ready'), {
    component: 'web',
    key: 'ferry.dev/fault',
    value: 'never-ready',
  });
  assert.deepEqual(parsePodLabel('team=payments'), { component: undefined, key: 'team', value: 'payments' });
  assert.throws(
    () => parsePodLabel('no-equals'),
    (e: unknown) => e instanceof FerryError && e.kind === 'invalid',
  );
  assert.throws(() => parsePodLabel('web:bad key=x'), FerryError);
  assert.equal(parsePodLabels(['x=1'], 'a=1, migration:b=2').length, 3);
});

test('labels reach pod templates of the matching component only, without mutating the input', () => {
  const labels = [parsePodLabel('web:ferry.dev/fault=never-ready'), parsePodLabel('team=payments')];
  const d = withPodLabels(deployment, labels) as unknown as {
    spec: { template: { metadata: { labels: object } } };
  };
  assert.deepEqual(d.spec.template.metadata.labels, {
    a: 'b',
    'ferry.dev/fault': 'never-ready',
    team: 'payments',
  });
  const c = withPodLabels(cron, labels) as unknown as {
    spec: { jobTemplate: { spec: { template: { metadata: { labels: object } } } } };
  };
  assert.deepEqual(c.spec.jobTemplate.spec.template.metadata.labels, { team: 'payments' });
  assert.deepEqual(
    (deployment.spec as { template: { metadata: { labels: object } } }).template.metadata.labels,
    {
      a: 'b',
    },
  );
});
