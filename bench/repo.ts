// A generated ferry repository on disk: a platform file and N services shaped like the
// examples (a web port with health checks, resources, env, a route; every third a cron, every
// fifth a database and a migration), for the benches that run ferry as a process.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RepoOptions {
  /** the environment's name and namespace (default: test and stage, namespaces test/stage) */
  envName?: string;
  namespace?: string;
  /** replicas in that environment (default 2) */
  instances?: number;
  /** environments per service (default 2: test and stage) */
  environments?: number;
}

function service(i: number, envs: string[], instances: number, plain: boolean): string {
  const extra = plain
    ? ''
    : `env:
  LOG_TAG: '\${service}-\${env}'
  WORKERS: ${(i % 8) + 1}
routes:
  - { path: /api/svc-${i}, public: true }
${i % 3 === 0 ? `crons:\n  - { name: sync, schedule: 'R//PT30M', command: python sync.py }\n` : ''}${
        i % 5 === 0
          ? `features: { postgres: { database: svc${i} } }\nmigrations: { command: python manage.py migrate, down: python manage.py migrate previous }\n`
          : ''
      }`;
  return `service: svc-${i}
image: registry.example.com/team/svc-${i}
command: python /app/main.py
port: 8080
health: /healthz
resources: { cpu: 250m, memory: 256Mi }
${extra}environments:
${envs.map((e, k) => `  ${e}: { instances: ${k === 0 ? instances : instances + 1} }`).join('\n')}
`;
}

/** Writes the repository into `dir`; returns the service names. */
export function generateRepo(dir: string, n: number, o: RepoOptions = {}): string[] {
  const count = o.environments ?? (o.envName ? 1 : 2);
  const envs = o.envName
    ? [o.envName]
    : ['test', 'stage', 'prod', 'qa', 'perf', 'eu', 'us', 'asia', 'demo', 'dr'].slice(0, count);
  mkdirSync(dir, { recursive: true });
  const platformEnvs = envs
    .map(
      (e) => `  ${e}: { namespace: ${o.namespace ?? e}, domain: ${e}.example.com, tls: { disabled: true } }`,
    )
    .join('\n');
  writeFileSync(
    join(dir, 'ferry.platform.yaml'),
    `services: ['services/*']\nenvironments:\n${platformEnvs}\npolicy: { progressDeadline: 60s }\n`,
  );
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    mkdirSync(join(dir, 'services', `svc-${i}`), { recursive: true });
    // the deploy benches want one plain Deployment: no Jobs, no database to provision
    writeFileSync(
      join(dir, 'services', `svc-${i}`, 'ferry.yaml'),
      service(i, envs, o.instances ?? 2, o.envName !== undefined),
    );
    names.push(`svc-${i}`);
  }
  return names;
}
