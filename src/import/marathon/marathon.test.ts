import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { serviceManifestSchema } from '../../manifest/schema.ts';
import { importMarathon } from './index.ts';

async function file(value: unknown): Promise<string> {
  const f = join(await mkdtemp(join(tmpdir(), 'ferry-marathon-')), 'app.json');
  await writeFile(f, JSON.stringify(value, null, 2));
  return f;
}

test('a Marathon group: names, marathon-lb routes, health, constraints, secrets', async () => {
  const f = await file({
    id: '/anna',
    groups: [
      {
        id: 'web',
        apps: [
          {
            id: 'hcn',
            cmd: 'python main.py',
            cpus: 0.25,
            mem: 300,
            instances: 3,
            env: { MODE: 'live', DB_PASSWORD: { secret: 'db' } },
            secrets: { db: { source: '/anna/hcn/db' } },
            container: {
              type: 'DOCKER',
              docker: {
                image: 'registry.example.com/hcn:7',
                portMappings: [
                  { containerPort: 8080, servicePort: 10001 },
                  { containerPort: 9090, protocol: 'udp' },
                ],
              },
            },
            healthChecks: [
              {
                protocol: 'MESOS_HTTP',
                path: '/ping',
                portIndex: 0,
                intervalSeconds: 5,
                timeoutSeconds: 2,
                maxConsecutiveFailures: 4,
                gracePeriodSeconds: 120,
              },
            ],
            labels: {
              HAPROXY_GROUP: 'external',
              HAPROXY_0_VHOST: 'a.example.com,b.example.com',
              HAPROXY_0_PATH: '/api',
              HAPROXY_0_BACKEND_HEAD: 'x',
            },
            constraints: [
              ['rack', 'CLUSTER', 'r1'],
              ['hostname', 'UNIQUE'],
            ],
          },
        ],
      },
    ],
  });
  const r = await importMarathon([f]);
  const s = r.services[0]!;
  assert.equal(s.version, '7');
  assert.deepEqual(s.manifest, {
    service: 'hcn',
    image: 'registry.example.com/hcn',
    command: 'python main.py',
    resources: { cpu: '250m', memory: '300Mi' },
    instances: 3,
    env: { MODE: 'live' },
    secrets: { DB_PASSWORD: 'secret:anna-hcn-db#value' },
    ports: [{ port: 8080 }, { port: 9090, protocol: 'UDP' }],
    health: { path: '/ping', startup: '2m', period: '5s', timeout: '2s', failureThreshold: 4 },
    routes: [
      { host: 'a.example.com', path: '/api', public: true },
      { host: 'b.example.com', path: '/api', public: true },
    ],
    placement: { nodeSelector: { rack: 'r1' } },
  });
  assert.ok(serviceManifestSchema.safeParse(s.manifest).success);
  const by = new Map(r.report.map((e) => [e.path, e]));
  assert.equal(by.get('groups[0].apps[0].constraints[1]')?.outcome, 'dropped');
  assert.equal(by.get('groups[0].apps[0].labels.HAPROXY_0_BACKEND_HEAD')?.outcome, 'dropped');
  assert.equal(by.get('groups[0].apps[0].cpus')?.to, 'resources.cpu');
  assert.equal(by.get('groups[0].apps[0].cpus')?.loc?.line, 10);
});
