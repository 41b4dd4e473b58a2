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
import { withNamespace } from '../kit/cluster.ts';
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
