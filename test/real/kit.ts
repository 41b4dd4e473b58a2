// Shared by the real node tests: an app whose environment places every pod on the real node and
// provisions its database in the test PostgreSQL (reached by pods on the bridge's gateway), the
// demo-app service manifest, and queries against that database.
import pg from 'pg';
import { realPlacementYaml, type RealNode } from '../kit/real-node.ts';
import { tempApp, testDeps, type TestApp, type TestDeps } from '../deploy/kit.ts';

export interface RealApp {
  app: TestApp;
  deps: TestDeps;
  /** the service's database */
  database: string;
  close(): Promise<void>;
}

/** A temp app deploying to `namespace` on the real node, its database `database`. */
export async function realApp(
  namespace: string,
  node: RealNode,
  database: string,
  policy: { progressDeadline?: string } = {},
): Promise<RealApp> {
  const app = tempApp(namespace);
  app.writePlatform(`services: ['services/*']
environments:
  test:
    namespace: ${namespace}
    createNamespace: false
    tls: { disabled: true }
    database: { admin: '\${FERRY_TEST_PG_ADMIN}' }
    placement: ${realPlacementYaml}
policy:
  progressDeadline: ${policy.progressDeadline ?? '60s'}
`);
  const deps = await testDeps(app.statePath);
  deps.env = { ...process.env, FERRY_TEST_PG_ADMIN: node.postgresAdminUrl };
  return {
    app,
    deps,
    database,
    close: async () => {
      await deps.store.close();
      app.cleanup();
    },
  };
}

/** The demo app (images/build.sh) as a ferry service: probes on /health every second. */
export function demoService(
  name: string,
  database: string,
  extra: { checks?: string[]; crons?: string[]; instances?: number } = {},
): string {
  const lines = [
    `service: ${name}`,
    'image: ferry.local/demo-app',
    'port: 8080',
    'health: { path: /health, period: 1s, timeout: 1s, failureThreshold: 2, startup: 20s }',
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
