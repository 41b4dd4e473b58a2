// A hand-built Workload for the renderer's unit tests (the golden tests use the real loader).
import type { Environment, Policy, Workload } from '../../model/types.ts';

export const testPolicy: Policy = {
  cpuRequestRatio: 0.25,
  memoryRequestRatio: 1,
  cronConcurrency: 'Forbid',
  progressDeadlineSeconds: 120,
  revisionHistoryLimit: 5,
  ingressClass: 'nginx',
  internalIngressClass: 'nginx-internal',
  spot: {
    nodeSelector: { 'node.kubernetes.io/lifecycle': 'spot' },
    tolerations: [{ key: 'spot', operator: 'Exists', value: undefined, effect: 'NoSchedule' }],
  },
  registry: undefined,
  driftIgnore: [],
};

export const testEnvironment: Environment = {
  name: 'test',
  namespace: 'test',
  createNamespace: true,
  context: undefined,
  domain: 'test.example.com',
  tls: { kind: 'wildcard', secretName: 'wildcard-test-tls' },
  ingressClass: 'nginx',
  protected: false,
  observeSeconds: 0,
  databaseAdmin: undefined,
};

export function testWorkload(over: Partial<Workload> = {}): Workload {
  return {
    service: 'hcn',
    environment: testEnvironment,
    version: '1.0.0',
    imageRepository: 'registry.example.com/anna/hcn',
    image: 'registry.example.com/anna/hcn:1.0.0',
    command: { kind: 'shell', script: 'python /app/hcn/main.py' },
    args: undefined,
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    health: {
      action: { kind: 'http', path: '/healthz', port: 'http' },
      initialDelaySeconds: 0,
      periodSeconds: 10,
      timeoutSeconds: 2,
      failureThreshold: 3,
      startupSeconds: 60,
    },
    instances: 2,
    resources: { cpuMillis: 500, memoryBytes: 512 * 1024 * 1024 },
    env: [{ name: 'LOGSTASH_TAG', source: { kind: 'literal', value: 'hcn-test' } }],
    features: {
      postgres: undefined,
      mysql: undefined,
      mongo: undefined,
      rabbitmq: undefined,
      redis: undefined,
      kafka: undefined,
    },
    migration: undefined,
    crons: [],
    routes: [],
    checks: [],
    alerts: undefined,
    volumes: [],
    autoscale: undefined,
    placement: { spot: false, nodeSelector: {}, tolerations: [] },
    policy: testPolicy,
    manifestDigest: 'abc123',
    ...over,
  };
}
