// Shared by the real node tests: an app whose environment places every pod on the real node and
// provisions its database in the test PostgreSQL (reached by pods on the bridge's gateway), the
// demo-app service manifest, and queries against that database.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { V1Pod } from '@kubernetes/client-node';
import type { ReleaseReport } from '../../src/engine/views.ts';
import { withNamespace, type TestNamespace } from '../kit/cluster.ts';
import { realNode, realPlacementYaml, type RealNode } from '../kit/real-node.ts';
import { deploy, deployDefaults, tempApp, testDeps, type TestApp, type TestDeps } from '../deploy/kit.ts';

export interface RealApp extends TestNamespace {
  node: RealNode;
  app: TestApp;
  deps: TestDeps;
  /** the demo service's database (unique per test) */
  database: string;
  /** writes services/demo/ferry.yaml: the demo app with these checks and crons */
  writeDemo(extra?: DemoExtra): void;
  /** deploys demo:<version> to the `test` environment */
  deploy(version: string): Promise<ReleaseReport>;
  /** the demo service's web pods */
  webPods(): Promise<V1Pod[]>;
}

/**
 * Runs `fn` with the real node, a fresh namespace and a temp app whose `test` environment places
 * every pod on the real node and provisions the service's database (`<prefix>_<random>`) in the
 * test PostgreSQL; closes the store and removes the app afterwards.
 */
export async function withRealApp<T>(
  prefix: string,
  fn: (r: RealApp) => Promise<T>,
  policy: { progressDeadline?: string } = {},
): Promise<T> {
  const node = await realNode();
  const database = `${prefix.replace(/-/g, '_')}_${randomBytes(3).toString('hex')}`;
  return withNamespace(`real-${prefix}`, async (ns) => {
    const app = tempApp(ns.namespace);
    app.writePlatform(`services: ['services/*']
environments:
  test:
    namespace: ${ns.namespace}
    createNamespace: false
    tls: { disabled: true }
    database: { admin: '\${FERRY_TEST_PG_ADMIN}' }
    placement: ${realPlacementYaml}
policy:
  progressDeadline: ${policy.progressDeadline ?? '60s'}
`);
    const deps = await testDeps(app.statePath, {
      env: { ...process.env, FERRY_TEST_PG_ADMIN: node.postgresAdminUrl },
    });
    try {
      return await fn({
        ...ns,
        node,
        app,
        deps,
        database,
        writeDemo: (extra = {}) => app.write('demo', demoService('demo', database, extra)),
        deploy: async (version) =>
          deploy(deps, await app.load(), {
            service: 'demo',
            environment: 'test',
            version,
            ...deployDefaults,
          }),
        webPods: async () =>
          (
            await ns.core.listNamespacedPod({
              namespace: ns.namespace,
              labelSelector: 'app.kubernetes.io/name=demo,app.kubernetes.io/component=web',
            })
          ).items,
      });
    } finally {
      await deps.store.close();
      app.cleanup();
    }
  });
}

export interface DemoExtra {
  /** the manifest's `health` (a YAML flow map) */
  health?: string;
  checks?: string[];
  crons?: string[];
  instances?: number;
}

/** The demo app (images/build.sh) as a ferry service: probes on /health every second, 5 misses (2 s each) to fail, so a loaded machine does not flap it. */
export function demoService(name: string, database: string, extra: DemoExtra = {}): string {
  const lines = [
    `service: ${name}`,
    'image: ferry.local/demo-app',
    'port: 8080',
    `health: ${extra.health ?? '{ path: /health, period: 1s, timeout: 2s, failureThreshold: 5, startup: 30s }'}`,
    'resources: { cpu: 100m, memory: 64Mi }',
    `instances: ${extra.instances ?? 1}`,
    `features: { postgres: { database: ${database} } }`,
    'migrations: { command: migrate up, down: migrate down, timeout: 60s }',
  ];
  if (extra.checks?.length) lines.push('checks:', ...extra.checks.map((c) => `  - ${c}`));
  if (extra.crons?.length) lines.push('crons:', ...extra.crons.map((c) => `  - ${c}`));
  return `${lines.join('\n')}\n`;
}

/** Runs `sql` in `database` as the admin (over the gateway, as the host). */
export async function query<R extends pg.QueryResultRow>(
  node: RealNode,
  database: string,
  sql: string,
  params: unknown[] = [],
): Promise<R[]> {
  const u = new URL(node.postgresAdminUrl);
  u.pathname = `/${database}`;
  const c = new pg.Client({ connectionString: u.toString() });
  await c.connect();
  try {
    return (await c.query<R>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

/** The tables of `database`'s public schema, sorted. */
export async function tables(node: RealNode, database: string): Promise<string[]> {
  const rows = await query<{ t: string }>(
    node,
    database,
    `SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
  );
  return rows.map((r) => r.t);
}
