// provision against the real PostgreSQL started by scripts/postgres/ensure.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  provisionPostgres,
  ProvisionError,
  serviceDatabaseUrl,
} from '../../src/engine/provision/postgres.ts';
import { withNamespace, type TestNamespace } from '../kit/cluster.ts';
import { deploy, deployDefaults, serviceYaml, tempApp, testDeps } from './kit.ts';

const adminUrl = readFileSync(new URL('../../.ferry/postgres/url', import.meta.url), 'utf8').trim();

test('creates role, database and schema once; a second run finds them', async () => {
  const id = randomBytes(4).toString('hex');
  const target = { database: `hcn_${id}`, user: `hcn_${id}`, schema: 'billing' };
  const first = await provisionPostgres(adminUrl, target);
  assert.deepEqual(first.created, [`role hcn_${id}`, `database hcn_${id}`, 'schema billing']);
  const second = await provisionPostgres(adminUrl, target);
  assert.deepEqual(second.created, []);
  assert.deepEqual(second.existing, [`role hcn_${id}`, `database hcn_${id}`, 'schema billing']);
  assert.equal(second.password, undefined, 'an existing role keeps its password');
  assert.ok(first.password);

  // the service can log in with the generated password and lands in its schema
  const svc = new pg.Client({ connectionString: serviceDatabaseUrl(adminUrl, target, first.password) });
  await svc.connect();
  try {
    const r = await svc.query('SELECT current_user AS u, current_schema() AS s');
    assert.deepEqual(r.rows[0], { u: `hcn_${id}`, s: 'billing' });
    await svc.query('CREATE TABLE t (id int)');
  } finally {
    await svc.end();
  }

  const u = new URL(adminUrl);
  u.pathname = `/hcn_${id}`;
  const c = new pg.Client({ connectionString: u.toString() });
  await c.connect();
  try {
    const owner = await c.query(
      `SELECT d.datname, r.rolname FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba WHERE d.datname = $1`,
      [`hcn_${id}`],
    );
    assert.equal(owner.rows[0]?.rolname, `hcn_${id}`);
    const schema = await c.query(
      `SELECT r.rolname FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner WHERE n.nspname = 'billing'`,
    );
    assert.equal(schema.rows[0]?.rolname, `hcn_${id}`);
  } finally {
    await c.end();
  }
});

test('an unreachable admin URL is a ProvisionError without the password', async () => {
  await assert.rejects(
    provisionPostgres('postgres://admin:s3cret@127.0.0.1:1/postgres', {
      database: 'x',
      user: 'x',
      schema: 'public',
    }),
    (e: unknown) => e instanceof ProvisionError && !e.message.includes('s3cret') && e.message.includes('***'),
  );
});

test(
  'a deploy provisions its database and writes the Secret its pods read DATABASE_URL from',
  { timeout: 90_000 },
  async () => {
    const id = randomBytes(3).toString('hex');
    await withNamespace('provision', async ({ namespace, core }) => {
      const app = tempApp(namespace, '', `    database: { admin: '\${FERRY_TEST_PG_ADMIN}' }\n`);
      const deps = await testDeps(app.statePath, { env: { ...process.env, FERRY_TEST_PG_ADMIN: adminUrl } });
      try {
        app.write(
          'ledger',
          `${serviceYaml('ledger', { instances: 1 })}features: { postgres: { database: ledger_${id} } }\n`,
        );
        const r1 = await deploy(deps, await app.load(), {
          service: 'ledger',
          environment: 'test',
          version: '1',
          ...deployDefaults,
        });
        assert.equal(r1.outcome, 'succeeded', r1.message);
        assert.match(
          r1.steps.find((s) => s.name === 'provision')?.message ?? '',
          new RegExp(
            `Secret/ledger-postgres written; postgres created role ledger_${id}, database ledger_${id}`,
          ),
        );
        const secret = await core.readNamespacedSecret({ name: 'ledger-postgres', namespace });
        const url = Buffer.from(secret.data?.url ?? '', 'base64').toString('utf8');
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        try {
          assert.equal((await c.query('SELECT current_database() AS d')).rows[0]?.d, `ledger_${id}`);
        } finally {
          await c.end();
        }
        const r2 = await deploy(deps, await app.load(), {
          service: 'ledger',
          environment: 'test',
          version: '2',
          ...deployDefaults,
        });
        assert.equal(r2.outcome, 'succeeded', r2.message);
        assert.match(r2.steps.find((s) => s.name === 'provision')?.message ?? '', /^postgres exists: role/);
      } finally {
        await deps.store.close();
        app.cleanup();
      }
    });
  },
);

async function logsIn(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

async function secretUrl(core: TestNamespace['core'], namespace: string, name: string): Promise<string> {
  const s = await core.readNamespacedSecret({ name, namespace });
  return Buffer.from(s.data?.url ?? '', 'base64').toString('utf8');
}

test(
  'two services on one role (an API and its worker), and a second environment on the same server, share its password; nobody loses access',
  { timeout: 150_000 },
  async () => {
    const id = randomBytes(3).toString('hex');
    await withNamespace('shared-role', async ({ namespace, core }) => {
      await withNamespace('shared-role-stage', async ({ namespace: stage }) => {
        const app = tempApp(namespace, '', `    database: { admin: '\${FERRY_TEST_PG_ADMIN}' }\n`);
        app.writePlatform(`services: ['services/*']
environments:
  test: { namespace: ${namespace}, createNamespace: false, tls: { disabled: true }, database: { admin: '\${FERRY_TEST_PG_ADMIN}' } }
  stage: { namespace: ${stage}, createNamespace: false, tls: { disabled: true }, database: { admin: '\${FERRY_TEST_PG_ADMIN}' } }
policy:
  progressDeadline: 60s
`);
        const deps = await testDeps(app.statePath, {
          env: { ...process.env, FERRY_TEST_PG_ADMIN: adminUrl },
        });
        const shop = `features: { postgres: { database: shop_${id}, user: shop_${id} } }\n`;
        try {
          app.write('api', `${serviceYaml('api', { instances: 1 })}${shop}`);
          app.write('worker', `${serviceYaml('worker', { instances: 1 })}${shop}`);
          const run = async (service: string, environment: string) => {
            const r = await deploy(deps, await app.load(), {
              service,
              environment,
              version: '1',
              ...deployDefaults,
            });
            assert.equal(r.outcome, 'succeeded', r.message);
            return r.steps.find((s) => s.name === 'provision')?.message ?? '';
          };
          assert.match(await run('api', 'test'), new RegExp(`created role shop_${id}`));
          const apiUrl = await secretUrl(core, namespace, 'api-postgres');
          assert.match(
            await run('worker', 'test'),
            new RegExp(
              `Secret/worker-postgres written \\(the credentials of role shop_${id}, shared with ${namespace}/api-postgres\\)`,
            ),
          );
          assert.equal(await logsIn(apiUrl), true, 'the API still logs in after the worker was provisioned');
          assert.equal(await secretUrl(core, namespace, 'worker-postgres'), apiUrl);
          // another environment on the same database server, another namespace: the same role's password
          assert.match(await run('api', 'stage'), /Secret\/api-postgres written \(the credentials of role/);
          assert.equal(await logsIn(apiUrl), true, 'test still logs in after stage was provisioned');
          assert.equal(await logsIn(await secretUrl(core, stage, 'api-postgres')), true);
        } finally {
          await deps.store.close();
          app.cleanup();
        }
      });
    });
  },
);

test(
  'a role that exists with no password ferry can find is refused at provision: its password is never changed',
  { timeout: 90_000 },
  async () => {
    const id = randomBytes(3).toString('hex');
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE ROLE legacy_${id} LOGIN PASSWORD 'kept-${id}'`);
    await admin.end();
    const keptUrl = (() => {
      const u = new URL(adminUrl);
      u.username = `legacy_${id}`;
      u.password = `kept-${id}`;
      return u.toString();
    })();
    await withNamespace('role-refused', async ({ namespace, batch }) => {
      const app = tempApp(namespace, '', `    database: { admin: '\${FERRY_TEST_PG_ADMIN}' }\n`);
      const deps = await testDeps(app.statePath, { env: { ...process.env, FERRY_TEST_PG_ADMIN: adminUrl } });
      try {
        app.write(
          'ledger',
          `${serviceYaml('ledger', { instances: 1, migration: true })}features: { postgres: { database: legacy_${id}, user: legacy_${id} } }\n`,
        );
        const r = await deploy(deps, await app.load(), {
          service: 'ledger',
          environment: 'test',
          version: '1',
          ...deployDefaults,
        });
        assert.equal(r.outcome, 'failed');
        assert.equal(r.failedStep, 'provision');
        assert.match(
          r.message,
          new RegExp(`role legacy_${id} exists .* ferry never changes the password of an existing role`),
        );
        assert.equal((await batch.listNamespacedJob({ namespace })).items.length, 0, 'no migration ran');
        assert.equal(await logsIn(keptUrl), true, 'the role keeps its password');
      } finally {
        await deps.store.close();
        app.cleanup();
      }
    });
  },
);
