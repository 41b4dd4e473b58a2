import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { loadApp } from '../../manifest/load.ts';
import { listWorkloads, resolveWorkload } from '../../model/resolve.ts';
import type { Workload } from '../../model/types.ts';
import { renderKubernetes } from '../../render/kubernetes/index.ts';
import { serviceManifestSchema } from '../../manifest/schema.ts';
import { importKubernetes } from './index.ts';

const FEATURE_ENV = [
  'DATABASE_URL',
  'MYSQL_URL',
  'MONGO_URL',
  'AMQP_URL',
  'REDIS_URL',
  'KAFKA_BROKERS',
  'FERRY_RABBITMQ_URL',
  'FERRY_REDIS_URL',
  'FERRY_KAFKA_BROKERS',
];
const EXAMPLE = new URL('../../../examples/anna', import.meta.url).pathname;

function meaning(w: Workload): unknown {
  return {
    image: w.image,
    command: w.command,
    ports: w.ports.map((p) => p.port),
    instances: w.instances,
    resources: w.resources,
    // features (postgres: …) become the secret env var they render to
    env: w.env.map((e) => e.name).filter((n) => !FEATURE_ENV.includes(n)),
    health: w.health,
    routes: w.routes
      .map((r) => `${r.host}${r.path} ${r.public} allow ${[...r.allow].sort().join(',')}`)
      .sort(),
    crons: w.crons.map((c) => [c.name, c.schedule.cron, c.command, c.concurrency]).sort(),
  };
}

test('Kubernetes YAML that ferry rendered imports back to the same services', async () => {
  const app = await loadApp(EXAMPLE);
  const workloads = listWorkloads(app, 'prod', '2.0.0');
  const objects = workloads.flatMap((w) => renderKubernetes(w).objects);
  const dir = await mkdtemp(join(tmpdir(), 'ferry-k8s-'));
  const file = join(dir, 'all.yaml');
  await writeFile(file, objects.map((o) => stringify(o)).join('---\n'));
  const r = await importKubernetes([file]);
  assert.deepEqual(
    r.services.map((s) => s.manifest.service),
    workloads.map((w) => w.service),
  );
  const back = {
    ...app,
    services: r.services.map((s) => ({
      name: s.manifest.service,
      file: `/virtual/${s.manifest.service}`,
      manifest: s.manifest,
      text: '',
      locate: () => undefined,
    })),
  };
  for (const s of r.services) {
    assert.ok(serviceManifestSchema.safeParse(s.manifest).success);
    assert.equal(s.version, '2.0.0');
    const original = workloads.find((w) => w.service === s.manifest.service)!;
    assert.deepEqual(meaning(resolveWorkload(back, s.manifest.service, 'prod', '2.0.0')), meaning(original));
  }
  // every object is in the report, and metadata is reported, not silently dropped
  for (const o of objects)
    assert.ok(
      r.report.some((e) => e.path.startsWith(`${o.kind}/${o.metadata.name}: `)),
      `${o.kind}/${o.metadata.name}`,
    );
});

test('a sidecar, an init container and a hostPath volume are reported as dropped', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-k8s-'));
  const file = join(dir, 'd.yaml');
  await writeFile(
    file,
    `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      initContainers: [{ name: init, image: busybox }]
      volumes: [{ name: sock, hostPath: { path: /var/run/docker.sock } }]
      containers:
        - name: web
          image: example/web:1.0
          ports: [{ containerPort: 80 }]
          volumeMounts: [{ name: sock, mountPath: /var/run/docker.sock }]
        - name: logs
          image: example/logs
`,
  );
  const r = await importKubernetes([file]);
  assert.equal(r.services[0]?.manifest.instances, 2);
  const dropped = r.report.filter((e) => e.outcome === 'dropped').map((e) => e.path);
  for (const p of [
    'Deployment/web: spec.template.spec.containers[1]',
    'Deployment/web: spec.template.spec.initContainers',
    'Deployment/web: spec.template.spec.containers[0].volumeMounts[0]',
  ])
    assert.ok(dropped.includes(p), `${p} in ${dropped.join(', ')}`);
  assert.equal(r.report.find((e) => e.path.endsWith('containers[1]'))?.loc?.line, 17);
});
