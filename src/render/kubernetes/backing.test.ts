import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backingFor, backingForAll } from '../../model/backing.ts';
import type { Workload } from '../../model/types.ts';
import { renderBacking } from './backing.ts';
import { testWorkload } from './fixture.ts';

const allFeatures: Workload['features'] = {
  postgres: { database: 'hcn', user: 'hcn', schema: 'public' },
  mysql: { database: 'hcn', user: 'hcn', schema: 'public' },
  mongo: { database: 'hcn' },
  rabbitmq: { vhost: '/' },
  redis: { db: 2 },
  kafka: { topics: ['events'] },
};

test('in the cluster only where the environment says so; databases per service, brokers shared', () => {
  const managed = testWorkload({ features: allFeatures });
  assert.deepEqual(backingFor(managed), []);
  const env = { ...managed.environment, backing: ['postgres', 'redis'] as const };
  const a = testWorkload({ service: 'a', features: allFeatures, environment: env });
  const b = testWorkload({ service: 'b', features: allFeatures, environment: env });
  assert.deepEqual(
    backingForAll([a, b]).map((i) => `${i.feature}:${i.name}`),
    ['postgres:a-postgres', 'postgres:b-postgres', 'redis:ferry-redis'],
  );
});

test('every feature renders a headless Service and a StatefulSet with a claim, reading its own Secret', () => {
  const env = {
    ...testWorkload().environment,
    backing: ['postgres', 'mysql', 'mongo', 'redis', 'rabbitmq', 'kafka'] as const,
  };
  const w = testWorkload({ features: allFeatures, environment: env });
  const objects = renderBacking(env, backingFor(w));
  assert.deepEqual(
    objects.map((o) => `${o.kind}/${o.metadata.name}`),
    [
      'Service/hcn-postgres',
      'StatefulSet/hcn-postgres',
      'Service/hcn-mysql',
      'StatefulSet/hcn-mysql',
      'Service/hcn-mongo',
      'StatefulSet/hcn-mongo',
      'Service/ferry-redis',
      'StatefulSet/ferry-redis',
      'Service/ferry-rabbitmq',
      'StatefulSet/ferry-rabbitmq',
      'Service/ferry-kafka',
      'StatefulSet/ferry-kafka',
    ],
  );
  for (const o of objects) {
    assert.equal(o.metadata.labels?.['app.kubernetes.io/component'], 'backing');
    assert.equal(o.metadata.labels?.['ferry.dev/version'], undefined, 'no version on backing objects');
    if (o.kind === 'StatefulSet') {
      assert.equal(o.spec?.volumeClaimTemplates?.[0]?.spec?.resources?.requests?.storage, '1Gi');
      const c = o.spec?.template.spec?.containers[0];
      assert.ok(c?.readinessProbe?.tcpSocket);
      for (const e of c?.env ?? [])
        if (e.valueFrom) assert.equal(e.valueFrom.secretKeyRef?.name, o.metadata.name);
    } else assert.equal(o.spec?.clusterIP, 'None');
  }
  assert.deepEqual(renderBacking(env, backingFor(w)), objects, 'deterministic');
});
