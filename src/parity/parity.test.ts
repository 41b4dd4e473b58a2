import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { importFiles } from '../import/index.ts';
import { loadApp } from '../manifest/load.ts';
import { compareRoutes } from './compare.ts';
import { formatParity, parity } from './index.ts';

async function app(platform: string, services: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-parity-'));
  await writeFile(join(dir, 'ferry.platform.yaml'), `services: ['services/*']\n${platform}`);
  for (const [name, text] of Object.entries(services)) {
    await mkdir(join(dir, 'services', name), { recursive: true });
    await writeFile(join(dir, 'services', name, 'ferry.yaml'), text);
  }
  return dir;
}

const HCN = `service: hcn
image: registry.example.com/anna/hcn
command: python /app/hcn/main.py
port: 8080
health: /healthz
resources: { cpu: 500m, memory: 512Mi }
instances: 4
env: { MODE: live }
routes: [{ host: hcn.example.com, public: true }]
crons:
  - { name: sync, schedule: "R//PT30M", command: python sync.py }
`;

const MARATHON = JSON.stringify({
  id: '/anna/hcn',
  cmd: 'python /app/hcn/main.py',
  cpus: 0.5,
  mem: 512,
  instances: 4,
  env: { MODE: 'live' },
  container: {
    type: 'DOCKER',
    docker: {
      image: 'registry.example.com/anna/hcn:1.0.0',
      network: 'BRIDGE',
      portMappings: [{ containerPort: 8080, hostPort: 0 }],
    },
  },
  healthChecks: [
    {
      protocol: 'HTTP',
      path: '/healthz',
      portIndex: 0,
      intervalSeconds: 10,
      timeoutSeconds: 2,
      maxConsecutiveFailures: 3,
      gracePeriodSeconds: 60,
    },
  ],
  labels: { HAPROXY_GROUP: 'external', HAPROXY_0_VHOST: 'hcn.example.com', HAPROXY_0_MODE: 'tcp' },
});

const CHRONOS = JSON.stringify([
  {
    name: 'hcn-sync',
    schedule: 'R//PT30M',
    command: 'python sync.py',
    container: { type: 'DOCKER', image: 'registry.example.com/anna/hcn:1.0.0' },
    cpus: 0.5,
    mem: 512,
  },
]);

async function oldFiles(): Promise<{ marathon: string; chronos: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-parity-old-'));
  const marathon = join(dir, 'hcn.json');
  const chronos = join(dir, 'jobs.json');
  await writeFile(marathon, MARATHON);
  await writeFile(chronos, CHRONOS);
  return { marathon, chronos };
}

test('ANNA’s pitfalls are blocking: requests = limits, Allow vs concurrent:false, per-host certificates', async () => {
  const hosts = Array.from({ length: 60 }, (_, i) => `{ host: s${i}.example.com, public: true }`).join(', ');
  const dir = await app(
    `environments:\n  prod: { domain: example.com, tls: { certManager: { issuer: letsencrypt, kind: ClusterIssuer } } }\npolicy: { cpuRequestRatio: 1, cronConcurrency: allow }\n`,
    {
      hcn: HCN.replace(
        'routes: [{ host: hcn.example.com, public: true }]',
        `routes: [{ host: hcn.example.com, public: true }, ${hosts}]`,
      ),
    },
  );
  const loaded = await loadApp(dir);
  const files = await oldFiles();
  const m = parity(loaded, 'prod', '1.0.0', await importFiles([files.marathon]));
  const rules = m.rows.filter((r) => r.severity === 'blocking').map((r) => r.rule);
  assert.ok(rules.includes('cpu-requests-equal-limits'), formatParity(m));
  assert.ok(rules.includes('per-host-certificates'), formatParity(m));
  assert.ok(m.rows.some((r) => r.rule === 'forwarded-headers' && r.severity === 'warning'));
  assert.equal(m.ok, false);
  const c = parity(loaded, 'prod', '1.0.0', await importFiles([files.chronos]));
  const conc = c.rows.find((r) => r.aspect === 'cron sync concurrency');
  assert.equal(conc?.severity, 'blocking');
  assert.equal(conc?.rule, 'chronos-concurrent-false');
  assert.equal(c.rows.find((r) => r.aspect === 'cron sync')?.severity, 'ok');
});

test('with ferry’s defaults the same old platform has no blocking difference', async () => {
  const dir = await app(`environments:\n  prod: { domain: example.com }\n`, { hcn: HCN });
  const loaded = await loadApp(dir);
  const files = await oldFiles();
  const m = parity(loaded, 'prod', '1.0.0', await importFiles([files.marathon]));
  assert.equal(m.ok, true, formatParity(m, { all: true }));
  assert.equal(m.rows.find((r) => r.aspect === 'cpu')?.severity, 'ok');
  assert.ok(
    !m.rows.some((r) => r.aspect === 'env' && /live/.test(`${r.old}${r.new}${r.note ?? ''}`)),
    'env values are never shown',
  );
  const c = parity(loaded, 'prod', '1.0.0', await importFiles([files.chronos]));
  assert.equal(c.ok, true, formatParity(c, { all: true }));
});

test('fewer instances, a lower memory limit, a lost port or env key, a changed schedule: blocking', async () => {
  const changed = HCN.replace('instances: 4', 'instances: 2')
    .replace('memory: 512Mi', 'memory: 256Mi')
    .replace('port: 8080', 'port: 9090\nhealth: { path: /healthz, port: 9090 }')
    .replace('health: /healthz\n', '')
    .replace('env: { MODE: live }', 'env: { OTHER: x }')
    .replace('R//PT30M', '*/20 * * * *');
  const dir = await app(`environments:\n  prod: { domain: example.com }\n`, { hcn: changed });
  const loaded = await loadApp(dir);
  const files = await oldFiles();
  const m = parity(loaded, 'prod', '1.0.0', await importFiles([files.marathon]));
  const blocking = new Set(m.rows.filter((r) => r.severity === 'blocking').map((r) => r.aspect));
  for (const a of ['instances', 'memory', 'ports', 'env'])
    assert.ok(blocking.has(a), `${a} blocks:\n${formatParity(m)}`);
  const c = parity(loaded, 'prod', '1.0.0', await importFiles([files.chronos]));
  assert.equal(c.rows.find((r) => r.aspect === 'cron sync')?.rule, 'schedule-meaning-changed');
});

test('a route that changed visibility or allow list is a warning that says so, not "missing"', () => {
  const r = (path: string, pub: boolean, allow: string[] = []) => ({
    host: 'd.example.com',
    path,
    public: pub,
    allow,
    port: 'http',
  });
  const [changed] = compareRoutes(
    'document',
    [r('/api', true), r('/admin', true)],
    [r('/api', true), r('/admin', false, ['10.0.0.0/8'])],
  );
  assert.equal(changed?.severity, 'warning');
  assert.match(changed?.note ?? '', /\/admin: public before, internal in ferry/);
  assert.match(changed?.note ?? '', /\/admin: allow any before, 10\.0\.0\.0\/8 in ferry/);
  assert.doesNotMatch(changed?.note ?? '', /missing/);
  const [allowOnly] = compareRoutes(
    'document',
    [r('/admin', false, ['10.0.0.0/8'])],
    [r('/admin', false, ['10.0.0.0/8', '172.16.0.0/12'])],
  );
  assert.equal(allowOnly?.severity, 'warning');
  const [missing] = compareRoutes('document', [r('/gone', true)], [r('/api', true)]);
  assert.equal(missing?.severity, 'blocking');
  assert.match(missing?.note ?? '', /missing in ferry: d\.example\.com\/gone/);
  assert.equal(compareRoutes('document', [r('/api', true)], [r('/api', true)])[0]?.severity, 'ok');
});

test('Marathon app + Chronos jobs compared together: the jobs are the app’s crons', async () => {
  const dir = await app(`environments:\n  prod: { domain: example.com }\n`, { hcn: HCN });
  const files = await oldFiles();
  const r = parity(await loadApp(dir), 'prod', '1.0.0', await importFiles([files.marathon, files.chronos]));
  assert.equal(r.rows.find((x) => x.aspect === 'cron sync')?.severity, 'ok', formatParity(r, { all: true }));
  assert.equal(r.rows.find((x) => x.aspect === 'cron sync concurrency')?.severity, 'ok');
  assert.equal(r.ok, true, formatParity(r, { all: true }));
});

test('data still on the old platform and a secret file ferry does not mount are blocking', async () => {
  const stack = join(await mkdtemp(join(tmpdir(), 'ferry-parity-swarm-')), 'stack.yml');
  await writeFile(
    stack,
    `services:\n  db:\n    image: postgres\n    volumes: ["/srv/db:/var/lib/postgresql/data"]\n    secrets: [db_password]\nsecrets:\n  db_password: { external: true }\n`,
  );
  const old = await importFiles([stack]);
  const imported = old.services[0]!.manifest;
  const dir = await app(`environments:\n  prod: { domain: example.com }\n`, {
    db: JSON.stringify({ ...imported, files: undefined }),
  });
  const r = parity(await loadApp(dir), 'prod', '1.0.0', old);
  const vol = r.rows.find((x) => x.aspect === 'volume data');
  assert.equal(vol?.severity, 'blocking', formatParity(r));
  assert.match(
    vol?.note ?? '',
    /copy it into the claim and confirm the size \(10Gi\), then remove volumes\[\]\.from/,
  );
  assert.equal(r.rows.find((x) => x.aspect === 'files')?.severity, 'blocking');
  // once the data is moved and the file mounted, nothing blocks
  const { from: _from, ...moved } = imported.volumes![0]!;
  const dir2 = await app(`environments:\n  prod: { domain: example.com }\n`, {
    db: JSON.stringify({ ...imported, volumes: [moved] }),
  });
  const r2 = parity(await loadApp(dir2), 'prod', '1.0.0', old);
  assert.equal(r2.ok, true, formatParity(r2));
});
