// Generated compose/Swarm stacks for the import properties: services that reach each other by
// name, credentials from variables, data in named volumes and host paths, secret and config
// files, curl health checks, Traefik and swarm-cronjob labels — written to a folder with the
// files the stack points at.
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';

export interface Stack {
  compose: Record<string, unknown>;
  /** the import's variables (as --var would pass them) */
  vars: Record<string, string>;
}

/** Values of `vars` that are credentials: none may appear in an imported ferry.yaml. */
export const CREDENTIAL_VALUES = ['s3cretPW-7f', 'sk_live_0xdeadbeef'];

const NAMES = ['web', 'api', 'db', 'cache', 'worker', 'queue'] as const;
const IMAGES = [
  'postgres:16',
  'redis:7-alpine',
  'rabbitmq:3-management',
  'mysql:8',
  'nginx:1.27',
  'registry.example.com/shop/app:1.2.3',
];

const service = (others: readonly string[]): fc.Arbitrary<Record<string, unknown>> =>
  fc
    .record(
      {
        image: fc.constantFrom(...IMAGES),
        ports: fc.constantFrom(['8080:80'], ['5000'], [{ target: 3000, published: 80 }], ['53:53/udp']),
        expose: fc.constantFrom(['9000']),
        environment: fc.dictionary(
          fc.constantFrom(
            'DB_HOST',
            'DATABASE_URL',
            'REDIS_URL',
            'API_KEY',
            'LOG_LEVEL',
            'APP_TAG',
            'AMQP_URL',
          ),
          fc.constantFrom(
            ...others.flatMap((o) => [
              o,
              `${o}:5432`,
              `postgres://shop:\${DB_PASS}@${o}:5432/shop`,
              `redis://${o}`,
            ]),
            '${STRIPE_KEY}',
            'info',
            '${TAG:-1.0.0}',
          ),
          { maxKeys: 3 },
        ),
        volumes: fc.subarray([
          'data:/var/lib/data',
          '/srv/uploads:/app/uploads',
          './conf/app.conf:/etc/app/app.conf:ro',
          '/var/run/docker.sock:/var/run/docker.sock',
          './state:/state',
        ]),
        secrets: fc.subarray([
          'db_password',
          { source: 'api_key', target: 'api.key', mode: 440 },
        ] as unknown[]),
        configs: fc.subarray(['app_config', { source: 'shared', target: '/etc/shared.json' }] as unknown[]),
        healthcheck: fc.constantFrom(
          { test: ['CMD', 'curl', '-f', 'http://localhost:8080/health'], interval: '15s' },
          { test: 'pg_isready -U shop', retries: 5 },
          { test: ['CMD-SHELL', 'wget -q -O- http://127.0.0.1:9000/ || exit 1'] },
        ),
        command: fc.constantFrom('serve --port 8080', ['run', 'worker']),
        deploy: fc.record(
          {
            replicas: fc.integer({ min: 0, max: 3 }),
            resources: fc.constantFrom({ limits: { cpus: '0.5', memory: '256M' } }),
            labels: fc.constantFrom(
              {
                'traefik.enable': 'true',
                'traefik.http.routers.r.rule': 'Host(`shop.example.com`) && PathPrefix(`/api`)',
                'traefik.http.services.r.loadbalancer.server.port': '8080',
              },
              { 'traefik.http.routers.r.rule': 'Host(`admin.example.com`)' },
              { 'swarm.cronjob.enable': 'true', 'swarm.cronjob.schedule': '0 3 * * *' },
            ),
            placement: fc.constantFrom({ constraints: ['node.labels.pool == web', 'node.role == worker'] }),
          },
          { requiredKeys: [] },
        ),
        restart: fc.constantFrom('always', 'no'),
      },
      { requiredKeys: ['image'] },
    )
    .map((s) => s as Record<string, unknown>);

export const stackArb: fc.Arbitrary<Stack> = fc
  .uniqueArray(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 4 })
  .chain((names) =>
    fc.tuple(...names.map((n) => service(names.filter((o) => o !== n)))).map((svcs) => ({
      compose: {
        services: Object.fromEntries(names.map((n, i) => [n, svcs[i]])),
        volumes: { data: {} },
        secrets: { db_password: { file: './db_password.txt' }, api_key: { external: true } },
        configs: { app_config: { file: './conf/app.conf' }, shared: { external: true, name: 'shop-shared' } },
      },
      vars: { DB_PASS: CREDENTIAL_VALUES[0]!, STRIPE_KEY: CREDENTIAL_VALUES[1]!, TAG: '1.4.0' },
    })),
  );

/** Writes the stack and the files it points at; returns the compose file. */
export async function writeStack(stack: Stack): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-stack-'));
  const files: Record<string, string> = {
    'docker-stack.yml': stringify(stack.compose),
    'conf/app.conf': 'listen 8080\n',
    'db_password.txt': 'not-read\n',
  };
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), text);
  }
  return join(dir, 'docker-stack.yml');
}
