// bench/render: renders 1,000 generated services × 3 environments in one process and prints
// service-renders per second (object building, then object building + YAML) and peak memory.
// Run: npx tsx bench/render.ts [services]   — writes bench/results/render.json
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Environment, Workload } from '../src/model/types.ts';
import { renderKubernetes } from '../src/render/kubernetes/index.ts';
import { noPlacement, testEnvironment, testWorkload } from '../src/render/kubernetes/fixture.ts';
import { toYamlStream } from '../src/render/serialize.ts';

const SERVICES = Number(process.argv[2] ?? 1000);
const ENVS: Environment[] = ['test', 'stage', 'prod'].map((name) => ({
  ...testEnvironment,
  name,
  namespace: name,
  domain: `${name}.example.com`,
  tls: { kind: 'wildcard', secretName: `wildcard-${name}-tls` },
}));

/** A varied service: every third has crons, every second routes, every fifth a database and migration… */
function workload(i: number, env: Environment): Workload {
  const service = `svc-${String(i).padStart(4, '0')}`;
  return testWorkload({
    service,
    environment: env,
    version: `1.${i % 50}.0`,
    image: `registry.example.com/team/${service}:1.${i % 50}.0`,
    imageRepository: `registry.example.com/team/${service}`,
    instances: env.name === 'prod' ? 3 : 1,
    env: [
      { name: 'LOG_LEVEL', source: { kind: 'literal', value: 'info' } },
      { name: 'SERVICE_TAG', source: { kind: 'literal', value: `${service}-${env.name}` } },
      ...(i % 4 === 0
        ? [
            {
              name: 'API_KEY',
              source: { kind: 'vault' as const, path: `secret/data/${service}`, key: 'api_key' },
            },
          ]
        : []),
    ],
    features: {
      postgres: i % 5 === 0 ? { database: service, user: service, schema: 'public' } : undefined,
      mysql: undefined,
      mongo: i % 7 === 0 ? { database: service } : undefined,
      rabbitmq: i % 3 === 0 ? { vhost: service } : undefined,
      redis: i % 6 === 0 ? { db: i % 16 } : undefined,
      kafka: undefined,
    },
    migration:
      i % 5 === 0
        ? { command: { kind: 'shell', script: 'alembic upgrade head' }, down: undefined, timeoutSeconds: 600 }
        : undefined,
    crons:
      i % 3 === 0
        ? [
            {
              name: 'sync',
              schedule: { cron: '*/30 * * * *', source: 'R//PT30M', format: 'iso8601', timezone: undefined },
              command: { kind: 'shell', script: 'python sync.py' },
              concurrency: 'Forbid',
              startingDeadlineSeconds: 300,
              activeDeadlineSeconds: 3600,
              resources: { cpuMillis: 250, memoryBytes: 256 * 1024 * 1024 },
              retries: 2,
            },
          ]
        : [],
    routes:
      i % 2 === 0
        ? [{ host: `${service}.${env.domain ?? ''}`, path: '/', public: true, allow: [], port: 'http' }]
        : [],
    alerts: { replicas: true, errors5xxRatio: 0.01, latencyP99Seconds: 0.5 },
    autoscale: env.name === 'prod' && i % 10 === 0 ? { min: 3, max: 10, cpuTargetPercent: 70 } : undefined,
    placement: { ...noPlacement, spot: env.name !== 'prod' },
    checks: [],
    manifestDigest: `digest-${i}`,
  });
}

const workloads = ENVS.flatMap((env) => Array.from({ length: SERVICES }, (_, i) => workload(i, env)));

const ROUNDS = 5;

interface Pass {
  label: string;
  renders: number;
  rounds: number;
  /** seconds of the median round */
  seconds: number;
  perSecond: number;
  bestPerSecond: number;
  /** renders per second of this process's CPU time (less sensitive to a busy machine) */
  perCpuSecond: number;
  units: number;
}

/**
 * One warm-up round (JIT), then ROUNDS measured rounds over all service-renders. Each round renders
 * fresh copies of the workloads, so nothing computed for a workload in an earlier round is reused.
 */
function run(label: string, fn: (w: Workload) => number): Pass {
  const times: number[] = [];
  const cpu: number[] = [];
  let units = 0;
  for (let round = 0; round <= ROUNDS; round++) {
    const fresh = workloads.map((w) => ({ ...w }));
    const start = performance.now();
    const startCpu = process.cpuUsage();
    units = 0;
    for (const w of fresh) units += fn(w);
    const used = process.cpuUsage(startCpu);
    if (round > 0) {
      times.push((performance.now() - start) / 1000);
      cpu.push((used.user + used.system) / 1e6);
    }
  }
  cpu.sort((a, b) => a - b);
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  return {
    label,
    renders: workloads.length,
    rounds: ROUNDS,
    seconds: median,
    perSecond: workloads.length / median,
    bestPerSecond: workloads.length / times[0]!,
    perCpuSecond: workloads.length / cpu[Math.floor(cpu.length / 2)]!,
    units,
  };
}

const results = [
  run('objects', (w) => renderKubernetes(w).objects.length),
  run('objects + YAML', (w) => toYamlStream(renderKubernetes(w).objects).length),
];
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
const heapMiB = process.memoryUsage().heapUsed / 1024 / 1024;

console.log(
  `bench/render: ${SERVICES} services × ${ENVS.length} environments = ${workloads.length} service-renders per round, ${ROUNDS} rounds after a warm-up`,
);
console.log('');
console.log(
  '| pass             | renders/round | median round s | renders/s (median) | renders/s (best) | renders/CPU-s | output units |',
);
console.log(
  '|------------------|--------------:|---------------:|-------------------:|-----------------:|--------------:|-------------:|',
);
for (const r of results) {
  console.log(
    `| ${r.label.padEnd(16)} | ${String(r.renders).padStart(13)} | ${r.seconds.toFixed(3).padStart(14)} | ${Math.round(r.perSecond).toString().padStart(18)} | ${Math.round(r.bestPerSecond).toString().padStart(16)} | ${Math.round(r.perCpuSecond).toString().padStart(13)} | ${String(r.units).padStart(12)} |`,
  );
}
console.log('');
console.log(
  `load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} on ${cpus().length} CPUs`,
);
console.log(
  `peak RSS ${peakRssMiB.toFixed(1)} MiB, heap in use ${heapMiB.toFixed(1)} MiB; target ≥ 20000 renders/s (objects)`,
);

mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('./results/render.json', import.meta.url),
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, services: SERVICES, environments: ENVS.length, results, peakRssMiB, heapMiB, loadavg: loadavg() }, null, 2)}\n`,
);
