import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { serviceManifestSchema } from '../../manifest/schema.ts';
import { importCompose } from './index.ts';
import { interpolateString } from './interpolate.ts';
import { splitWords } from './shellwords.ts';

async function files(contents: Record<string, string>): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-compose-'));
  const out: string[] = [];
  for (const [name, text] of Object.entries(contents)) {
    await writeFile(join(dir, name), text);
    if (!name.startsWith('.') && !name.endsWith('.env')) out.push(join(dir, name));
  }
  return out;
}

test('interpolation follows the compose rules', () => {
  const missing: string[] = [];
  const vars = { A: 'a', EMPTY: '' };
  const f = (s: string): string => interpolateString(s, vars, (n) => missing.push(n));
  assert.equal(f('${A}-$A-$$A'), 'a-a-$A');
  assert.equal(f('${EMPTY:-d}|${EMPTY-d}|${NOPE-d}'), 'd||d');
  assert.equal(f('${A:+yes}|${NOPE:+yes}'), 'yes|');
  assert.equal(f('${NOPE:-${A}x}'), 'ax');
  assert.equal(f('${NOPE}'), '');
  assert.deepEqual(missing, ['NOPE']);
});

test('command strings split like a shell, without expansion', () => {
  assert.deepEqual(splitWords(`sh -c "echo 'hi' \\"there\\"" a\\ b $HOME`), [
    'sh',
    '-c',
    `echo 'hi' "there"`,
    'a b',
    '$HOME',
  ]);
});

test('a Swarm stack maps image, replicas, resources, health, secrets, volumes and routes', async () => {
  const [f] = await files({
    'stack.yml': `
version: "3.8"
x-env: &env
  LOG_LEVEL: info
services:
  web_app:
    image: registry.example.com/team/web:\${TAG:-1.0.0}
    command: ["serve", "--port", "4000"]
    environment:
      <<: *env
      PORT: 4000
    ports: ["80:4000"]
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost:4000/health"]
      interval: 15s
      timeout: 5s
      retries: 3
      start_period: 1m
    secrets: [db_password]
    volumes: [uploads:/uploads, /var/run/docker.sock:/var/run/docker.sock:ro]
    depends_on: [db]
    deploy:
      replicas: 3
      resources:
        limits: { cpus: "0.5", memory: 512M }
        reservations: { cpus: "0.25", memory: 256M }
      update_config: { order: start-first, failure_action: rollback }
      placement:
        constraints: [node.labels.pool == web, node.role == worker]
      labels:
        traefik.http.routers.web.rule: Host(\`example.com\`) && PathPrefix(\`/app\`)
volumes:
  uploads: {}
secrets:
  db_password: { external: true }
`,
  });
  const r = await importCompose([f!], { vars: {} });
  assert.equal(r.services.length, 1);
  const s = r.services[0]!;
  assert.equal(s.version, '1.0.0');
  assert.deepEqual(s.manifest, {
    service: 'web-app',
    image: 'registry.example.com/team/web',
    args: ['serve', '--port', '4000'],
    env: { LOG_LEVEL: 'info', PORT: 4000 },
    port: 4000,
    instances: 3,
    resources: { cpu: '500m', memory: '512Mi' },
    placement: { nodeSelector: { pool: 'web' } },
    files: [{ path: '/run/secrets/db_password', secret: 'db-password', key: 'db_password' }],
    volumes: [
      {
        name: 'uploads',
        path: '/uploads',
        size: '100Mi',
        from: 'the Docker volume uploads on the old nodes',
      },
    ],
    stateful: true,
    routes: [{ path: '/app', host: 'example.com', public: true }],
    health: { path: '/health', period: '15s', timeout: '5s', startup: '1m', failureThreshold: 3 },
  });
  assert.ok(serviceManifestSchema.safeParse(s.manifest).success);
  const byPath = new Map(r.report.map((e) => [e.path, e]));
  assert.equal(byPath.get('services.web_app.depends_on')?.outcome, 'dropped');
  assert.match(byPath.get('services.web_app.depends_on')?.note ?? '', /db/);
  assert.equal(byPath.get('services.web_app.volumes[1]')?.outcome, 'dropped');
  assert.equal(byPath.get('services.web_app.deploy.placement.constraints[1]')?.outcome, 'dropped');
  assert.equal(byPath.get('services.web_app.deploy.resources.reservations.cpus')?.outcome, 'approximated');
  assert.equal(byPath.get('x-env')?.outcome, 'dropped');
  // every entry is located in the file
  for (const e of r.report) assert.ok(e.loc && e.loc.line > 0, `${e.path} has a location`);
  assert.equal(byPath.get('services.web_app.deploy.replicas')?.loc?.line, 23);
});

test('later files override earlier ones; unknown fields are reported, never dropped silently', async () => {
  const [a, b] = await files({
    'a.yaml':
      'services:\n  api:\n    image: api\n    deploy: { replicas: 3 }\n    frobnicate: { deep: [1, 2] }\n',
    'b.yaml': 'services:\n  api:\n    deploy: { replicas: 5 }\n',
  });
  const r = await importCompose([a!, b!]);
  assert.equal(r.services[0]?.manifest.instances, 5);
  const dropped = r.report.filter((e) => e.outcome === 'dropped').map((e) => e.path);
  assert.deepEqual(dropped.sort(), ['services.api.frobnicate.deep[0]', 'services.api.frobnicate.deep[1]']);
  assert.equal(r.report.find((e) => e.path === 'services.api.deploy.replicas')?.loc?.file, b);
});

test('unset variables are reported; env_file values are inlined', async () => {
  const fs = await files({
    'compose.yaml': 'services:\n  w:\n    image: w:${MISSING}\n    env_file: [w.env]\n',
    'w.env': '# comment\nA=1\nB="two"\n',
  });
  const r = await importCompose(fs);
  assert.deepEqual(r.services[0]?.manifest.env, { A: '1', B: 'two' });
  assert.ok(r.report.some((e) => e.path === 'services.w.image' && /MISSING/.test(e.note ?? '')));
});
