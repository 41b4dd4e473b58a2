// PostgreSQL (pg): the store of a team server, shared by several ferry processes. Transactions
// take a connection of their own from the pool; lease rows are locked with FOR UPDATE.
import pg from 'pg';
import { StoreError } from './errors.ts';
import { SqlDriver, type SqlConn, type SqlDialect } from './sql-driver.ts';
import type { Row } from './sql-rows.ts';
import { postgresMigrations } from './sql-schema.ts';

export interface PostgresDriverOptions {
  /** the schema ferry's tables live in (created if missing); default public */
  schema?: string;
}

function conn(c: pg.Pool | pg.PoolClient): SqlConn {
  const query = async (sql: string, args: readonly unknown[] = []) => {
    try {
      return args.length ? await c.query(sql, [...args]) : await c.query(sql);
    } catch (e) {
      throw new StoreError(`store query failed: ${(e as Error).message}`, e);
    }
  };
  return {
    all: async (sql, args) => (await query(sql, args)).rows as Row[],
    run: async (sql, args) => (await query(sql, args)).rowCount ?? 0,
  };
}

class PostgresDialect implements SqlDialect {
  readonly name = 'postgres';
  readonly migrations = postgresMigrations;
  readonly forUpdate = ' FOR UPDATE';
  private readonly pool: pg.Pool;
  private readonly schema: string;
  private readonly auto: SqlConn;

  constructor(url: string, opts: PostgresDriverOptions) {
    this.schema = opts.schema ?? 'public';
    if (!/^[a-z_][a-z0-9_]*$/.test(this.schema)) throw new StoreError(`invalid schema name "${this.schema}"`);
    this.pool = new pg.Pool({ connectionString: url, max: 8, options: `-c search_path=${this.schema}` });
    // an idle client's error (the server restarted) must not crash the process: the next query reconnects
    this.pool.on('error', () => undefined);
    this.auto = conn(this.pool);
  }

  all(sql: string, args?: readonly unknown[]): Promise<Row[]> {
    return this.auto.all(sql, args);
  }

  run(sql: string, args?: readonly unknown[]): Promise<number> {
    return this.auto.run(sql, args);
  }

  async transaction<T>(fn: (c: SqlConn) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw new StoreError(`cannot reach the store: ${(e as Error).message}`, e);
    }
    try {
      await client.query('BEGIN');
      const v = await fn(conn(client));
      await client.query('COMMIT');
      return v;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  async advanceIds(id: number): Promise<void> {
    await this.run(
      "SELECT setval(pg_get_serial_sequence('releases', 'id'), GREATEST($1, (SELECT COALESCE(MAX(id), 1) FROM releases)))",
      [id],
    );
  }

  async migrate(): Promise<readonly string[]> {
    try {
      return await this.transaction(async (c) => {
        // one migrator at a time (CREATE SCHEMA IF NOT EXISTS itself races)
        await c.all("SELECT pg_advisory_xact_lock(hashtext('ferry-store-migrate'))");
        await c.run(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
        await c.run(
          'CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)',
        );
        const done = new Set((await c.all('SELECT id FROM schema_migrations')).map((r) => String(r.id)));
        const applied: string[] = [];
        for (const m of this.migrations) {
          if (done.has(m.id)) continue;
          await c.run(m.sql);
          await c.run('INSERT INTO schema_migrations (id, applied_at) VALUES ($1, $2)', [m.id, Date.now()]);
          applied.push(m.id);
        }
        return applied;
      });
    } catch (e) {
      throw new StoreError(`cannot migrate the store: ${(e as Error).message}`, e);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** The PostgreSQL store driver at `url` (postgres://…). */
export function postgresDriver(url: string, opts: PostgresDriverOptions = {}): SqlDriver {
  return new SqlDriver(new PostgresDialect(url, opts));
}
