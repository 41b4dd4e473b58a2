// Manifest → model throughput: parse + validate N generated ferry.yaml texts (appFromTexts), then
// resolve every service in 3 environments (listWorkloads). Prints a table, writes
// bench/results/model.json. Usage: node --import tsx bench/model.ts [services=1000]
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { appFromTexts } from '../src/manifest/memory.ts';
import { listWorkloads } from '../src/model/resolve.ts';

const n = Number(process.argv[2] ?? 1000);
const platform = {
  file: 'ferry.platform.yaml',
  text: `services: ['services/*']
environments:
  test: { namespace: test, domain: test.example.com, placement: { spot: true } }
  stage: { namespace: stage, domain: stage.example.com }
  prod: { namespace: prod, domain: example.com, protected: true }
`,
};
function service(i: number): string {
  return `service: svc-${i}
image: registry.example.com/team/svc-${i}
command: python /app/main.py --worker ${i}
port: 8080
health: { path: /healthz, startup: 90s }
resources: { cpu: 500m, memory: 512Mi }
env:
  LOG_TAG: '\${service}-\${env}'
  PUBLIC_URL: 'https://\${service}.\${domain}'
  WORKERS: ${(i % 8) + 1}
secrets: { DB_PASSWORD: 'vault:secret/data/svc-${i}#db' }
features: { postgres: true, redis: { db: ${i % 16} } }
migrations: { command: python manage.py migrate, down: python manage.py migrate previous }
crons:
  - { name: sync, schedule: 'R//PT30M', command: python sync.py }
  - { name: nightly, schedule: '30 3 * * *', command: python nightly.py }
routes:
  - { path: /api, public: true }
checks:
  - { name: smoke, http: /healthz }
alerts: { errors5xx: 1%, latencyP99: 500ms }
environments:
  test: { instances: 1 }
  stage: { instances: 2 }
  prod: { instances: ${(i % 5) + 2}, resources: { memory: 1Gi } }
`;
}

const texts = Array.from({ length: n }, (_, i) => ({
  file: `services/svc-${i}/ferry.yaml`,
  text: service(i),
}));
const rounds = 3;
const rows: { label: string; items: number; bestSeconds: number; perSecond: number }[] = [];

let best = Infinity;
let app = appFromTexts(platform, texts);
for (let r = 0; r < rounds; r++) {
  const t0 = performance.now();
  app = appFromTexts(platform, texts);
  best = Math.min(best, (performance.now() - t0) / 1000);
}
rows.push({ label: 'parse + validate ferry.yaml', items: n, bestSeconds: best, perSecond: n / best });

best = Infinity;
let count = 0;
for (let r = 0; r < rounds; r++) {
  const t0 = performance.now();
  count = 0;
  for (const env of ['test', 'stage', 'prod']) count += listWorkloads(app, env, '1.0.0').length;
  best = Math.min(best, (performance.now() - t0) / 1000);
}
rows.push({
  label: 'resolve workloads (service × env)',
  items: count,
  bestSeconds: best,
  perSecond: count / best,
});

const load = loadavg()[0] ?? 0;
console.log(`manifest → model, ${n} services, best of ${rounds}, load average ${load.toFixed(2)}`);
console.log('| step | items | best s | per second |');
console.log('| --- | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(`| ${r.label} | ${r.items} | ${r.bestSeconds.toFixed(3)} | ${Math.round(r.perSecond)} |`);
}
const peak = process.resourceUsage().maxRSS / 1024;
console.log(`peak RSS ${peak.toFixed(0)} MiB`);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('./results/model.json', import.meta.url),
  JSON.stringify(
    {
      at: new Date().toISOString(),
      node: process.version,
      loadAverage: load,
      services: n,
      rows,
      peakRssMiB: peak,
    },
    null,
    2,
  ),
);
