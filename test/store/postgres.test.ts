// The PostgreSQL store driver against the real server started by scripts/postgres/ensure.sh:
// the same contract as SQLite, each test in its own schema.
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { postgresDriver } from '../../src/store/postgres.ts';
import {
  driverContract,
  release,
  serverRecordsContract,
  type DriverFactory,
} from '../../src/store/driver-contract.ts';
import { openStore } from '../../src/store/open.ts';
import { postgresMigrations } from '../../src/store/sql-schema.ts';
import { keyOf } from '../../src/store/types.ts';

const url = readFileSync(new URL('../../.ferry/postgres/url', import.meta.url), 'utf8').trim();

const postgresFactory: DriverFactory = {
  async open(shared) {
    const d = postgresDriver(url, { schema: `ferry_${shared}` });
    await d.migrate();
    return d;
  },
  async cleanup(shared) {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ferry_${shared} CASCADE`);
    await c.end();
  },
};
driverContract('postgres', postgresFactory);
serverRecordsContract('postgres', postgresFactory);

test('postgres: migrations apply once, by id', async () => {
  const schema = `ferry_m${process.pid}`;
  const a = postgresDriver(url, { schema });
  const b = postgresDriver(url, { schema });
  try {
    const [x, y] = await Promise.all([a.migrate(), b.migrate()]);
    assert.deepEqual(
      [...x, ...y],
      postgresMigrations.map((m) => m.id),
      'concurrent migrators: applied exactly once',
    );
    assert.deepEqual(await a.migrate(), []);
  } finally {
    await a.close();
    await b.close();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  }
});

test('FERRY_STATE as a postgres:// URL opens the PostgreSQL driver', async () => {
  const store = await openStore(url);
  try {
    assert.equal(store.kind, 'postgres');
    const r = await store.startRelease(release({ service: `svc-${process.pid}` }));
    assert.equal((await store.release(keyOf(r))).service, `svc-${process.pid}`);
  } finally {
    await store.close();
  }
});
