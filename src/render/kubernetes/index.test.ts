import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Cron, Route, Workload } from '../../model/types.ts';
import { noPlacement, testEnvironment, testWorkload } from './fixture.ts';
import { renderKubernetes, renderNamespace } from './index.ts';
import type { CronJob, Deployment, ExternalSecret, Ingress, KubeObject, PrometheusRule } from './object.ts';

function find<T extends KubeObject>(objs: readonly KubeObject[], kind: string, name?: string): T {
  const o = objs.find((x) => x.kind === kind && (name === undefined || x.metadata.name === name));
  assert.ok(
    o,
    `no ${kind}${name ? ` ${name}` : ''} in ${objs.map((x) => `${x.kind}/${x.metadata.name}`).join(' ')}`,
  );
  return o as T;
}

const route = (over: Partial<Route> = {}): Route => ({
  host: 'hcn.test.example.com',
  path: '/',
  public: false,
  allow: [],
  port: 'http',
  ...over,
});

const cron = (over: Partial<Cron> = {}): Cron => ({
  name: 'sync-customers',
  schedule: { cron: '*/30 * * * *', source: 'R//PT30M', format: 'iso8601', timezone: undefined },
  command: { kind: 'shell', script: 'python /app/account/sync.py' },
  concurrency: 'Forbid',
  startingDeadlineSeconds: 300,
  activeDeadlineSeconds: 3600,
  resources: { cpuMillis: 250, memoryBytes: 256 * 1024 * 1024 },
  retries: 2,
  ...over,
});

test('a plain service renders Service, Deployment and PDB in kind order, all labelled for pruning', () => {
  const r = renderKubernetes(testWorkload());
  assert.deepEqual(
    r.objects.map((o) => o.kind),
    ['Service', 'Deployment', 'PodDisruptionBudget'],
  );
  for (const o of r.objects) {
    assert.equal(o.metadata.namespace, 'test');
    assert.equal(o.metadata.labels['app.kubernetes.io/managed-by'], 'ferry');
    assert.equal(o.metadata.labels['ferry.dev/service'], 'hcn');
    assert.equal(o.metadata.labels['ferry.dev/environment'], 'test');
    assert.equal(o.metadata.labels['app.kubernetes.io/instance'], 'hcn-test');
    assert.equal(
      o.metadata.annotations,
      undefined,
      'no app-wide digest: an unchanged object stays unchanged',
    );
  }
  // only what runs the image carries the version: a new version leaves the Service and PDB as they are
  assert.deepEqual(
    r.objects.map((o) => [o.kind, o.metadata.labels['ferry.dev/version']]),
    [
      ['Service', undefined],
      ['Deployment', '1.0.0'],
      ['PodDisruptionBudget', undefined],
    ],
  );
  assert.equal(r.migration, undefined);
  assert.deepEqual(r.checks, []);
});

test('the Deployment: selector without version, zero-unavailable rollout, shell command, probes, resources', () => {
  const d = find<Deployment>(renderKubernetes(testWorkload()).objects, 'Deployment');
  const spec = d.spec!;
  assert.deepEqual(spec.selector.matchLabels, {
    'app.kubernetes.io/component': 'web',
    'app.kubernetes.io/instance': 'hcn-test',
    'app.kubernetes.io/name': 'hcn',
  });
  assert.equal(spec.replicas, 2);
  assert.deepEqual(spec.strategy, {
    type: 'RollingUpdate',
    rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' },
  });
  assert.equal(spec.progressDeadlineSeconds, 120);
  assert.equal(spec.revisionHistoryLimit, 5);
  assert.equal(spec.template.metadata?.labels?.['app.kubernetes.io/version'], '1.0.0');
  assert.equal(spec.template.metadata?.annotations, undefined, 'the digest must not restart pods');
  const c = spec.template.spec!.containers[0]!;
  assert.equal(c.image, 'registry.example.com/anna/hcn:1.0.0');
  assert.deepEqual(c.command, ['/bin/sh', '-c', 'python /app/hcn/main.py']);
  assert.equal(c.args, undefined);
  assert.deepEqual(c.resources, {
    limits: { cpu: '500m', memory: '512Mi' },
    requests: { cpu: '125m', memory: '512Mi' },
  });
  assert.deepEqual(c.ports, [{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
  assert.deepEqual(c.readinessProbe?.httpGet, { path: '/healthz', port: 'http' });
  assert.equal(c.startupProbe?.failureThreshold, 6);
  assert.ok(c.livenessProbe);
});

test('exec command with args; shell command with args passes them as $1…', () => {
  const exec = find<Deployment>(
    renderKubernetes(
      testWorkload({ command: { kind: 'exec', argv: ['/app/run'] }, args: ['--port', '8080'] }),
    ).objects,
    'Deployment',
  ).spec!.template.spec!.containers[0]!;
  assert.deepEqual([exec.command, exec.args], [['/app/run'], ['--port', '8080']]);
  const sh = find<Deployment>(renderKubernetes(testWorkload({ args: ['x'] })).objects, 'Deployment').spec!
    .template.spec!.containers[0]!;
  assert.deepEqual([sh.command, sh.args], [['/bin/sh', '-c', 'python /app/hcn/main.py', 'sh'], ['x']]);
});

test('one instance: no PodDisruptionBudget; autoscale: HPA owns replicas, target is a share of the limit', () => {
  assert.ok(
    !renderKubernetes(testWorkload({ instances: 1 })).objects.some((o) => o.kind === 'PodDisruptionBudget'),
  );
  const r = renderKubernetes(
    testWorkload({ instances: 1, autoscale: { min: 2, max: 10, cpuTargetPercent: 70 } }),
  );
  assert.equal(find<Deployment>(r.objects, 'Deployment').spec!.replicas, undefined);
  const hpa = find<KubeObject & { spec: { minReplicas: number; metrics: unknown } }>(
    r.objects,
    'HorizontalPodAutoscaler',
  );
  assert.equal(hpa.spec.minReplicas, 2);
  assert.deepEqual(hpa.spec.metrics, [
    { type: 'Resource', resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '350m' } } },
  ]);
  assert.ok(r.objects.some((o) => o.kind === 'PodDisruptionBudget'));
});

test('a ReadWriteOnce volume: a PVC never pruned, mounted, and a Recreate strategy', () => {
  const r = renderKubernetes(
    testWorkload({
      volumes: [
        {
          name: 'data',
          path: '/data',
          sizeBytes: 10 * 1024 ** 3,
          storageClass: 'fast',
          access: 'ReadWriteOnce',
          from: undefined,
        },
      ],
    }),
  );
  const pvc = find<KubeObject & { spec: unknown }>(r.objects, 'PersistentVolumeClaim', 'hcn-data');
  assert.deepEqual(pvc.spec, {
    accessModes: ['ReadWriteOnce'],
    resources: { requests: { storage: '10Gi' } },
    storageClassName: 'fast',
  });
  assert.equal(pvc.metadata.annotations?.['ferry.dev/prune'], 'never');
  const d = find<Deployment>(r.objects, 'Deployment').spec!;
  assert.deepEqual(d.strategy, { type: 'Recreate' });
  assert.deepEqual(d.template.spec!.volumes, [
    { name: 'data', persistentVolumeClaim: { claimName: 'hcn-data' } },
  ]);
});

test('routes: public and internal ingresses, one wildcard secret, allow-lists as ingress-nginx annotations', () => {
  const r = renderKubernetes(
    testWorkload({
      routes: [
        route({ path: '/api', public: true }),
        route({ path: '/admin', allow: ['10.0.0.0/8', '192.168.0.0/16', '10.0.0.0/8'] }),
        route({ host: 'other.test.example.com', path: '/api', public: true }),
      ],
    }),
  );
  const pub = find<Ingress>(r.objects, 'Ingress', 'hcn-public');
  assert.equal(pub.spec!.ingressClassName, 'nginx');
  assert.deepEqual(
    pub.spec!.rules!.map((x) => x.host),
    ['hcn.test.example.com', 'other.test.example.com'],
  );
  assert.deepEqual(pub.spec!.tls, [
    { hosts: ['hcn.test.example.com', 'other.test.example.com'], secretName: 'wildcard-test-tls' },
  ]);
  const internal = find<Ingress>(r.objects, 'Ingress', 'hcn-internal-d396e9');
  assert.equal(internal.spec!.ingressClassName, 'nginx-internal');
  assert.equal(
    internal.metadata.annotations?.['nginx.ingress.kubernetes.io/whitelist-source-range'],
    '10.0.0.0/8,192.168.0.0/16',
  );
  assert.deepEqual(internal.spec!.rules![0]!.http!.paths[0]!.backend.service, {
    name: 'hcn',
    port: { name: 'http' },
  });
});

test('cert-manager TLS: issuer annotation and a secret per ingress', () => {
  const w = testWorkload({
    environment: {
      ...testEnvironment,
      tls: { kind: 'cert-manager', issuer: 'letsencrypt-dns', issuerKind: 'ClusterIssuer' },
    },
    routes: [route({ public: true })],
  });
  const ing = find<Ingress>(renderKubernetes(w).objects, 'Ingress');
  assert.equal(ing.metadata.annotations?.['cert-manager.io/cluster-issuer'], 'letsencrypt-dns');
  assert.deepEqual(ing.spec!.tls, [{ hosts: ['hcn.test.example.com'], secretName: 'hcn-public-tls' }]);
});

test('crons: Forbid by default, history limits, deadline, time zone, the Chronos source kept', () => {
  const r = renderKubernetes(
    testWorkload({
      crons: [
        cron(),
        cron({
          name: 'report',
          concurrency: 'Allow',
          schedule: { cron: '0 3 * * *', source: '0 3 * * *', format: 'cron', timezone: 'Europe/London' },
        }),
      ],
    }),
  );
  const sync = find<CronJob>(r.objects, 'CronJob', 'hcn-sync-customers');
  assert.equal(sync.spec!.concurrencyPolicy, 'Forbid');
  assert.equal(sync.spec!.schedule, '*/30 * * * *');
  assert.equal(sync.spec!.startingDeadlineSeconds, 300);
  assert.equal(sync.spec!.successfulJobsHistoryLimit, 3);
  assert.equal(sync.spec!.timeZone, undefined);
  assert.equal(sync.metadata.annotations?.['ferry.dev/schedule-source'], 'R//PT30M');
  assert.equal(sync.metadata.labels['app.kubernetes.io/component'], 'cron');
  const pod = sync.spec!.jobTemplate.spec!.template;
  assert.equal(pod.spec!.restartPolicy, 'Never');
  assert.equal(pod.spec!.containers[0]!.readinessProbe, undefined);
  assert.deepEqual(pod.spec!.containers[0]!.resources?.limits, { cpu: '250m', memory: '256Mi' });
  const report = find<CronJob>(r.objects, 'CronJob', 'hcn-report');
  assert.equal(report.spec!.concurrencyPolicy, 'Allow');
  assert.equal(report.spec!.timeZone, 'Europe/London');
  assert.equal(report.metadata.annotations?.['ferry.dev/schedule-source'], undefined);
});

test('migration Jobs carry the version, never retry, and expire', () => {
  const r = renderKubernetes(
    testWorkload({
      version: '2.3.1',
      migration: {
        command: { kind: 'shell', script: 'python manage.py migrate' },
        down: { kind: 'exec', argv: ['python', 'manage.py', 'migrate', 'hcn', '0041'] },
        timeoutSeconds: 600,
      },
      checks: [
        {
          name: 'smoke',
          kind: 'command',
          command: { kind: 'shell', script: 'pytest tests/smoke' },
          timeoutSeconds: 120,
        },
        {
          name: 'home',
          kind: 'http',
          url: 'https://hcn.test.example.com/',
          expect: 200,
          timeoutSeconds: 120,
        },
      ],
    }),
  );
  const up = r.migration!.up;
  assert.equal(up.metadata.name, 'hcn-migrate-2.3.1');
  assert.equal(up.spec!.backoffLimit, 0);
  assert.equal(up.spec!.activeDeadlineSeconds, 600);
  assert.ok((up.spec!.ttlSecondsAfterFinished ?? 0) > 0);
  assert.equal(up.metadata.labels['app.kubernetes.io/component'], 'migration');
  assert.equal(r.migration!.down!.metadata.name, 'hcn-migrate-down-2.3.1');
  assert.deepEqual(r.migration!.down!.spec!.template.spec!.containers[0]!.command, [
    'python',
    'manage.py',
    'migrate',
    'hcn',
    '0041',
  ]);
  assert.deepEqual(
    r.checks.map((j) => j.metadata.name),
    ['hcn-check-smoke-2.3.1'],
  );
  const long = renderKubernetes(
    testWorkload({
      version: `1.0.0-${'a'.repeat(80)}`,
      migration: { command: { kind: 'shell', script: 'x' }, down: undefined, timeoutSeconds: 60 },
    }),
  );
  assert.ok(long.migration!.up.metadata.name.length <= 63);
  assert.ok(long.migration!.up.metadata.labels['ferry.dev/version']!.length <= 63);
});

test('features become connection variables from conventional secrets; the manifest can override them', () => {
  const w: Workload = testWorkload({
    features: {
      postgres: { database: 'hcn', user: 'hcn', schema: 'public' },
      mysql: undefined,
      mongo: { database: 'hcn' },
      rabbitmq: { vhost: '/' },
      redis: { db: 2 },
      kafka: { topics: ['events', 'audit'] },
    },
    env: [
      { name: 'DB_PASSWORD', source: { kind: 'vault', path: 'secret/data/hcn', key: 'db_password' } },
      { name: 'MONGO_URL', source: { kind: 'literal', value: 'mongodb://localhost/hcn' } },
      { name: 'TOKEN', source: { kind: 'secret', name: 'hcn-token', key: 'token' } },
    ],
  });
  const r = renderKubernetes(w);
  const env = find<Deployment>(r.objects, 'Deployment').spec!.template.spec!.containers[0]!.env!;
  assert.deepEqual(
    env.map((e) => e.name),
    [
      'FERRY_RABBITMQ_URL',
      'FERRY_REDIS_URL',
      'AMQP_URL',
      'DATABASE_URL',
      'DB_PASSWORD',
      'KAFKA_BROKERS',
      'KAFKA_TOPICS',
      'MONGO_URL',
      'REDIS_URL',
      'TOKEN',
    ],
  );
  const by = new Map(env.map((e) => [e.name, e]));
  assert.deepEqual(by.get('DATABASE_URL')!.valueFrom, { secretKeyRef: { name: 'hcn-postgres', key: 'url' } });
  assert.deepEqual(by.get('FERRY_RABBITMQ_URL')!.valueFrom, {
    secretKeyRef: { name: 'ferry-rabbitmq', key: 'url' },
  });
  assert.equal(by.get('AMQP_URL')!.value, '$(FERRY_RABBITMQ_URL)/%2F');
  assert.equal(by.get('REDIS_URL')!.value, '$(FERRY_REDIS_URL)/2');
  assert.deepEqual(by.get('KAFKA_BROKERS')!.valueFrom, {
    secretKeyRef: { name: 'ferry-kafka', key: 'brokers' },
  });
  assert.equal(by.get('KAFKA_TOPICS')!.value, 'events,audit');
  assert.equal(by.get('MONGO_URL')!.value, 'mongodb://localhost/hcn');
  assert.deepEqual(by.get('DB_PASSWORD')!.valueFrom, {
    secretKeyRef: { name: 'hcn-vault', key: 'DB_PASSWORD' },
  });
  const es = find<ExternalSecret>(r.objects, 'ExternalSecret', 'hcn-vault');
  assert.deepEqual(es.spec.data, [
    { secretKey: 'DB_PASSWORD', remoteRef: { key: 'secret/data/hcn', property: 'db_password' } },
  ]);
  assert.equal(r.objects[0]!.kind, 'ExternalSecret');
});

test('spot placement adds the policy pool selector and toleration, de-duplicated', () => {
  const d = find<Deployment>(
    renderKubernetes(
      testWorkload({
        placement: {
          ...noPlacement,
          spot: true,
          nodeSelector: { zone: 'a' },
          tolerations: [{ key: 'spot', operator: 'Exists', value: undefined, effect: 'NoSchedule' }],
        },
      }),
    ).objects,
    'Deployment',
  );
  assert.deepEqual(d.spec!.template.spec!.nodeSelector, {
    'node.kubernetes.io/lifecycle': 'spot',
    zone: 'a',
  });
  assert.deepEqual(d.spec!.template.spec!.tolerations, [
    { key: 'spot', operator: 'Exists', effect: 'NoSchedule' },
  ]);
});

test('alerts: replicas always, 5xx and latency only with routes', () => {
  const alerts = { replicas: true, errors5xxRatio: 0.01, latencyP99Seconds: 0.5 };
  const none = renderKubernetes(testWorkload({ alerts }));
  assert.deepEqual(
    find<PrometheusRule>(none.objects, 'PrometheusRule').spec.groups[0]!.rules.map((x) => x.alert),
    ['FerryReplicasBelowDesired'],
  );
  const rule = find<PrometheusRule>(
    renderKubernetes(testWorkload({ alerts, routes: [route()] })).objects,
    'PrometheusRule',
  );
  const rules = rule.spec.groups[0]!.rules;
  assert.deepEqual(
    rules.map((x) => x.alert),
    ['FerryReplicasBelowDesired', 'FerryHigh5xxRatio', 'FerryHighLatencyP99'],
  );
  assert.equal(
    rules[1]!.expr,
    'sum(rate(nginx_ingress_controller_requests{namespace="test",service="hcn",status=~"5.."}[5m])) / sum(rate(nginx_ingress_controller_requests{namespace="test",service="hcn"}[5m])) > 0.01',
  );
  assert.match(rules[2]!.expr, /^histogram_quantile\(0\.99, .* > 0\.5$/);
  assert.equal(rule.metadata.namespace, 'test');
});

test('the Namespace only when the environment asks, without a service label', () => {
  const ns = renderNamespace(testEnvironment)!;
  assert.equal(ns.metadata.name, 'test');
  assert.equal(ns.metadata.labels['ferry.dev/service'], undefined);
  assert.equal(renderNamespace({ ...testEnvironment, createNamespace: false }), undefined);
});

test('rendering is deterministic', () => {
  const w = testWorkload({
    crons: [cron({ name: 'b' }), cron({ name: 'a' })],
    routes: [route({ public: true }), route()],
  });
  assert.deepEqual(renderKubernetes(w), renderKubernetes(w));
  assert.deepEqual(
    renderKubernetes(w)
      .objects.filter((o) => o.kind === 'CronJob')
      .map((o) => o.metadata.name),
    ['hcn-a', 'hcn-b'],
  );
});
