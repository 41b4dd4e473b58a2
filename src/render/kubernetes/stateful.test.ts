import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Volume } from '../../model/types.ts';
import { testWorkload } from './fixture.ts';
import { renderKubernetes } from './index.ts';
import type { KubeObject } from './object.ts';

type Obj = KubeObject & { spec?: Record<string, unknown> };
const data: Volume = {
  name: 'data',
  path: '/var/lib/postgresql/data',
  sizeBytes: 10 * 1024 ** 3,
  storageClass: 'fast',
  access: 'ReadWriteOnce',
  from: undefined,
};

function kinds(objects: readonly KubeObject[]): string[] {
  return objects.map((o) => `${o.kind}/${o.metadata.name}`);
}

test('stateful: a StatefulSet with claim templates, governed by a headless Service; no PVC objects', () => {
  const r = renderKubernetes(testWorkload({ service: 'db', stateful: true, volumes: [data], instances: 1 }));
  assert.deepEqual(kinds(r.objects), ['Service/db', 'Service/db-headless', 'StatefulSet/db']);
  const sts = r.objects.find((o) => o.kind === 'StatefulSet') as Obj;
  assert.equal(sts.apiVersion, 'apps/v1');
  assert.equal(sts.spec?.serviceName, 'db-headless');
  assert.equal(sts.spec?.replicas, 1);
  assert.deepEqual(sts.spec?.volumeClaimTemplates, [
    {
      // no version: a StatefulSet's claim templates cannot change after it is made
      metadata: {
        name: 'data',
        labels: Object.fromEntries(
          Object.entries((sts.metadata as { labels: Record<string, string> }).labels).filter(
            ([k]) => !k.endsWith('/version'),
          ),
        ),
      },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '10Gi' } },
        storageClassName: 'fast',
      },
    },
  ]);
  const pod = (
    sts.spec?.template as { spec: { volumes?: unknown[]; containers: { volumeMounts?: unknown[] }[] } }
  ).spec;
  assert.equal(pod.volumes, undefined, 'the claims come from the templates');
  assert.deepEqual(pod.containers[0]?.volumeMounts, [
    { name: 'data', mountPath: '/var/lib/postgresql/data' },
  ]);
  const headless = r.objects.find((o) => o.metadata.name === 'db-headless') as Obj;
  assert.equal(headless.spec?.clusterIP, 'None');
  assert.equal(headless.spec?.publishNotReadyAddresses, true);
});

test('stateful with autoscale: the HPA scales the StatefulSet; the replicas alert reads StatefulSet metrics', () => {
  const r = renderKubernetes(
    testWorkload({
      stateful: true,
      autoscale: { min: 2, max: 4, cpuTargetPercent: 70 },
      alerts: { replicas: true, errors5xxRatio: undefined, latencyP99Seconds: undefined },
    }),
  );
  const hpa = r.objects.find((o) => o.kind === 'HorizontalPodAutoscaler') as Obj;
  assert.equal((hpa.spec?.scaleTargetRef as { kind: string }).kind, 'StatefulSet');
  const sts = r.objects.find((o) => o.kind === 'StatefulSet') as Obj;
  assert.equal(sts.spec?.replicas, undefined);
  assert.match(
    JSON.stringify(r.objects.find((o) => o.kind === 'PrometheusRule')),
    /kube_statefulset_status_replicas_ready/,
  );
});

test('cron-only (instances 0 and crons): CronJobs only — no Deployment, Service, PDB, Ingress or PVC', () => {
  const cron = testWorkload().crons;
  assert.equal(cron.length, 0);
  const w = testWorkload({
    instances: 0,
    volumes: [data],
    routes: [{ host: 'hcn.test.example.com', path: '/', public: true, allow: [], port: 'http' }],
    crons: [
      {
        name: 'report',
        schedule: { cron: '0 3 * * *', source: '0 3 * * *', format: 'cron', timezone: undefined },
        command: { kind: 'shell', script: 'python report.py' },
        concurrency: 'Forbid',
        startingDeadlineSeconds: 300,
        activeDeadlineSeconds: 3600,
        resources: { cpuMillis: 250, memoryBytes: 256 * 1024 ** 2 },
        retries: 5,
      },
    ],
  });
  const r = renderKubernetes(w);
  assert.deepEqual(kinds(r.objects), ['CronJob/hcn-report']);
  const job = (r.objects[0] as Obj).spec?.jobTemplate as { spec: { backoffLimit: number } };
  assert.equal(job.spec.backoffLimit, 5, 'the cron’s retries are the Job’s backoffLimit');
  // with instances the same service keeps its Deployment next to the CronJob
  assert.ok(kinds(renderKubernetes({ ...w, instances: 1 }).objects).includes('Deployment/hcn'));
});
