// SQLite (better-sqlite3): the embedded store for one person and the demo. WAL mode and a busy
// timeout let several ferry processes share one file; writes that must be atomic run in IMMEDIATE
// transactions, so two processes can never both take one lease. Inside one process every call on
// one file is serialized, across all its connections: better-sqlite3 is synchronous, so a second
// connection's BEGIN while the first's transaction awaits would block the thread that must finish
// the first (a deadlock until the busy timeout).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from './errors.ts';
import { SqlDriver, type SqlConn, type SqlDialect } from './sql-driver.ts';
import type { Row } from './sql-rows.ts';
import { sqliteMigrations } from './sql-schema.ts';

/** `$1 … $n` (PostgreSQL's placeholders, which the statements are written with) → `?`, args in order. */
export function positional(sql: string, args: readonly unknown[]): { sql: string; args: unknown[] } {
  const out: unknown[] = [];
  const text = sql.replace(/\$(\d+)/g, (_, n: string) => {
    out.push(args[Number(n) - 1]);
    return '?';
  });
  return { sql: text, args: out };
}

/** One queue per database file in this process. */
const queues = new Map<string, { tail: Promise<unknown> }>();

class SqliteDialect implements SqlDialect {
  readonly name = 'sqlite';
  readonly migrations = sqliteMigrations;
  readonly forUpdate = '';
  readonly path: string;
  private readonly db: Database.Database;
  private readonly queue: { tail: Promise<unknown> };

  constructor(path: string) {
    this.path = path;
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('busy_timeout = 5000');
      this.db.pragma('foreign_keys = ON');
      const file = path === ':memory:' ? `:memory:${Math.random()}` : this.db.name;
      let q = queues.get(file);
      if (!q) queues.set(file, (q = { tail: Promise.resolve() }));
      this.queue = q;
    } catch (e) {
      throw new StoreError(`cannot open the store at ${path}`, e);
    }
  }

  /** One call at a time on this connection. */
  private serial<T>(fn: () => Promise<T> | T): Promise<T> {
    const next = this.queue.tail.then(fn, fn);
    this.queue.tail = next.catch(() => undefined);
    return next;
  }

  private conn: SqlConn = {
    all: async (sql, args = []) => {
      const q = positional(sql, args);
      try {
        return this.db.prepare(q.sql).all(...q.args) as Row[];
      } catch (e) {
        throw new StoreError(`store query failed: ${(e as Error).message}`, e);
      }
    },
    run: async (sql, args = []) => {
      const q = positional(sql, args);
      try {
        return this.db.prepare(q.sql).run(...q.args).changes;
      } catch (e) {
        throw new StoreError(`store query failed: ${(e as Error).message}`, e);
      }
    },
  };

  all(sql: string, args?: readonly unknown[]): Promise<Row[]> {
    return this.serial(() => this.conn.all(sql, args));
  }

  run(sql: string, args?: readonly unknown[]): Promise<number> {
    return this.serial(() => this.conn.run(sql, args));
  }

  transaction<T>(fn: (c: SqlConn) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const v = await fn(this.conn);
        this.db.exec('COMMIT');
        return v;
      } catch (e) {
        this.db.exec('ROLLBACK');
        throw e;
      }
    });
  }

  async migrate(): Promise<readonly string[]> {
    try {
      this.db.exec(
        'CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)',
      );
      return await this.transaction(async (c) => {
        const done = new Set((await c.all('SELECT id FROM schema_migrations')).map((r) => String(r.id)));
        const applied: string[] = [];
        for (const m of this.migrations) {
          if (done.has(m.id)) continue;
          this.db.exec(m.sql);
          await c.run('INSERT INTO schema_migrations (id, applied_at) VALUES ($1, $2)', [m.id, Date.now()]);
          applied.push(m.id);
        }
        return applied;
      });
    } catch (e) {
      throw new StoreError(`cannot migrate the store at ${this.path}`, e);
    }
  }

  async close(): Promise<void> {
    await this.serial(() => this.db.close());
  }
}

/** The SQLite store driver over the file at `path` (`:memory:` for a throwaway one). */
export function sqliteDriver(path: string): SqlDriver {
  return new SqlDriver(new SqliteDialect(path));
}
