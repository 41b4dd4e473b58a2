// bench/import: a generated 200-service Swarm stack (Traefik labels, deploy resources and update
// config, healthchecks, secrets, volumes, swarm-cronjob crons) → `ferry import` (parse, merge,
// interpolate, map, report) → resolve + Kubernetes render of every service, and → ferry.yaml files
// on disk. Prints a table, writes bench/results/import.json. kompose is compared when a `kompose`
// binary is on PATH or in $FERRY_CACHE/kompose/*/kompose (its Go module is not on the proxy here).
// Run: npx tsx bench/import.ts [services] [rounds]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, homedir, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { importCompose } from '../src/import/compose/index.ts';
import { writeImport } from '../src/import/write.ts';
import type { LoadedApp } from '../src/manifest/load.ts';
import { resolveWorkload } from '../src/model/resolve.ts';
import { renderKubernetes } from '../src/render/kubernetes/index.ts';
import { toYamlStream } from '../src/render/serialize.ts';

const SERVICES = Number(process.argv[2] ?? 200);
const ROUNDS = Number(process.argv[3] ?? 5);

function stack(n: number): unknown {
  const services: Record<string, unknown> = {};
  const secrets: Record<string, unknown> = {};
  const volumes: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    const name = `svc_${String(i).padStart(3, '0')}`;
    const svc: Record<string, unknown> = {
      image: `registry.example.com/team/${name}:\${TAG:-1.${i % 40}.0}`,
      command: ['serve', '--port', '8080'],
      environment: ['LOG_LEVEL=info', `SERVICE=${name}`, `DB_HOST=db-${i % 7}`],
      ports: ['8080'],
      healthcheck: {
        test: ['CMD', 'wget', '-q', '-O-', 'http://localhost:8080/health'],
        interval: '15s',
        timeout: '3s',
        retries: 3,
        start_period: '30s',
      },
      deploy: {
        replicas: 1 + (i % 4),
        resources: {
          limits: { cpus: '0.5', memory: '512M' },
          reservations: { cpus: '0.25', memory: '256M' },
        },
        update_config: { order: 'start-first', failure_action: 'rollback', parallelism: 1, delay: '10s' },
        restart_policy: { condition: 'on-failure', max_attempts: 3 },
        placement: { constraints: ['node.labels.pool == apps', 'node.role == worker'] },
        labels:
          i % 2 === 0
            ? {
                'traefik.enable': 'true',
                [`traefik.http.routers.${name}.rule`]: `Host(\`${name.replace('_', '-')}.example.com\`) && PathPrefix(\`/api\`)`,
              }
            : {},
      },
      depends_on: i > 0 ? [`svc_${String(i - 1).padStart(3, '0')}`] : [],
      logging: { driver: 'json-file' },
    };
    if (i % 3 === 0) {
      svc.secrets = [`${name}_token`];
      secrets[`${name}_token`] = { external: true };
    }
    if (i % 5 === 0) {
      svc.volumes = [`${name}_data:/data`, '/var/run/docker.sock:/var/run/docker.sock:ro'];
      volumes[`${name}_data`] = {};
    }
    services[name] = svc;
    if (i % 4 === 0)
      services[`${name}_cron`] = {
        image: `registry.example.com/team/${name}:1.0.0`,
        entrypoint: ['python', 'sync.py'],
        deploy: {
          replicas: 0,
          restart_policy: { condition: 'none' },
          labels: {
            'swarm.cronjob.enable': 'true',
            'swarm.cronjob.schedule': '*/30 * * * *',
            'swarm.cronjob.skip-running': 'true',
          },
        },
      };
  }
  return { version: '3.8', 'x-defaults': { owner: 'platform' }, services, secrets, volumes };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function komposeBinary(): string | undefined {
  try {
    return execFileSync('bash', ['-c', 'command -v kompose'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    const dir = join(process.env.FERRY_CACHE ?? join(homedir(), '.cache/ferry'), 'kompose');
    if (!existsSync(dir)) return undefined;
    for (const v of readdirSync(dir)) if (existsSync(join(dir, v, 'kompose'))) return join(dir, v, 'kompose');
    return undefined;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-import-'));
const file = join(dir, 'stack.yml');
writeFileSync(file, stringify(stack(SERVICES)));
const platform = {
  file: undefined,
  manifest: { environments: { prod: { domain: 'example.com' } } },
  text: '',
  locate: () => undefined,
};

const importMs: number[] = [];
const renderMs: number[] = [];
const writeMs: number[] = [];
let services = 0;
let objects = 0;
let entries = 0;
for (let r = 0; r < ROUNDS + 1; r++) {
  const t0 = performance.now();
  const result = await importCompose([file], { vars: {} });
  const t1 = performance.now();
  const app: LoadedApp = {
    platform,
    services: result.services.map((s) => ({
      name: s.manifest.service,
      file: `/bench/${s.manifest.service}/ferry.yaml`,
      manifest: s.manifest,
      text: '',
      locate: () => undefined,
    })),
  };
  const docs = result.services.flatMap(
    (s) => renderKubernetes(resolveWorkload(app, s.manifest.service, 'prod', s.version ?? 'latest')).objects,
  );
  toYamlStream(docs);
  const t2 = performance.now();
  const out = join(dir, `out-${r}`);
  await writeImport(result, out, { force: true });
  const t3 = performance.now();
  rmSync(out, { recursive: true, force: true });
  if (r === 0) continue; // warm-up
  importMs.push(t1 - t0);
  renderMs.push(t2 - t1);
  writeMs.push(t3 - t2);
  services = result.services.length;
  objects = docs.length;
  entries = result.report.length;
}

const imp = median(importMs);
const ren = median(renderMs);
const wri = median(writeMs);
const rows: [string, string][] = [
  [
    'input',
    `1 stack file, ${SERVICES} services + ${Math.ceil(SERVICES / 4)} cron services → ${services} ferry services`,
  ],
  ['report entries', String(entries)],
  ['import (median ms)', imp.toFixed(1)],
  ['import + Kubernetes render (median ms)', (imp + ren).toFixed(1)],
  ['  Kubernetes objects rendered', String(objects)],
  ['ferry.yaml files written (median ms)', wri.toFixed(1)],
  ['services imported + rendered / s', ((services / (imp + ren)) * 1000).toFixed(0)],
  ['ferry.yaml files / s (import + write)', (((services + 2) / (imp + wri)) * 1000).toFixed(0)],
  ['stacks imported + rendered / s', (1000 / (imp + ren)).toFixed(2)],
];

let kompose: { binary: string; medianMs: number } | { skipped: string };
const kb = komposeBinary();
if (kb) {
  const ks: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t = performance.now();
    execFileSync(kb, ['convert', '-f', file, '--stdout'], { stdio: ['ignore', 'ignore', 'ignore'] });
    ks.push(performance.now() - t);
  }
  kompose = { binary: kb, medianMs: median(ks) };
  rows.push(['kompose convert (median ms, whole process)', median(ks).toFixed(1)]);
} else {
  kompose = {
    skipped: 'no kompose binary: github.com/kubernetes/kompose is not served by the Go module proxy here',
  };
  rows.push(['kompose convert', 'skipped (module not on the Go proxy)']);
}

const width = Math.max(...rows.map(([k]) => k.length));
console.log(
  `bench/import — ${cpus().length} CPUs, load ${loadavg()[0]?.toFixed(1)}, ${ROUNDS} rounds (median), Node ${process.version}`,
);
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('./results/import.json', import.meta.url),
  `${JSON.stringify({ when: new Date().toISOString(), cpus: cpus().length, load: loadavg(), node: process.version, servicesIn: SERVICES, servicesOut: services, reportEntries: entries, objects, importMs, renderMs, writeMs, medianImportMs: imp, medianRenderMs: ren, medianWriteMs: wri, kompose }, null, 2)}\n`,
);
rmSync(dir, { recursive: true, force: true });
