// PostgreSQL driver (pg): the same StoreDriver as SQLite, for a team server sharing one history.
// Every method is one statement or one transaction; leases are a compare-and-set in one INSERT …
// ON CONFLICT … WHERE expired, so concurrent ferry processes never both hold one.
import pg from 'pg';
import { StoreError } from './errors.ts';
import {
  RELEASE_INSERT_COLUMNS,
  releaseValues,
  toAudit,
  toLease,
  toRelease,
  toStep,
  whereEqual,
  type Row,
} from './rows.ts';
import { postgresMigrations } from './schema.ts';
import type {
  AuditEntry,
  Lease,
  LeaseAcquire,
  NewRelease,
  Release,
  ReleaseOutcome,
  ReleaseQuery,
  Step,
  StepOutcome,
  StoreDriver,
} from './types.ts';

const pgParam = (n: number): string => `$${n}`;

export interface PostgresDriverOptions {
  /** the schema ferry's tables live in (created if missing); default public */
  schema?: string;
}

export class PostgresDriver implements StoreDriver {
  readonly name = 'postgres';
  private readonly pool: pg.Pool;
  private readonly schema: string;

  constructor(url: string, opts: PostgresDriverOptions = {}) {
    this.schema = opts.schema ?? 'public';
    if (!/^[a-z_][a-z0-9_]*$/.test(this.schema)) throw new StoreError(`invalid schema name "${this.schema}"`);
    this.pool = new pg.Pool({ connectionString: url, max: 4, options: `-c search_path=${this.schema}` });
  }

  private async q(sql: string, args: unknown[] = []): Promise<Row[]> {
    try {
      return (await this.pool.query(sql, args)).rows as Row[];
    } catch (e) {
      throw new StoreError(`store query failed: ${(e as Error).message}`, e);
    }
  }

  async migrate(): Promise<readonly string[]> {
    const c = await this.pool.connect();
    const applied: string[] = [];
    try {
      await c.query('BEGIN');
      // one migrator at a time (CREATE SCHEMA IF NOT EXISTS itself races)
      await c.query("SELECT pg_advisory_xact_lock(hashtext('ferry-store-migrate'))");
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
      await c.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)',
      );
      const done = new Set(
        (await c.query('SELECT id FROM schema_migrations')).rows.map((r: Row) => String(r.id)),
      );
      for (const m of postgresMigrations) {
        if (done.has(m.id)) continue;
        await c.query(m.sql);
        await c.query('INSERT INTO schema_migrations (id, applied_at) VALUES ($1, $2)', [m.id, Date.now()]);
        applied.push(m.id);
      }
      await c.query('COMMIT');
      return applied;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw new StoreError(`cannot migrate the store: ${(e as Error).message}`, e);
    } finally {
      c.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  async insertRelease(r: NewRelease): Promise<Release> {
    const [row] = await this.q(
      `INSERT INTO releases (${RELEASE_INSERT_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'running', '', $9, NULL, $10, $11) RETURNING *`,
      releaseValues(r),
    );
    if (!row) throw new StoreError('insert returned no release');
    return toRelease(row);
  }

  async finishRelease(
    id: number,
    outcome: Exclude<ReleaseOutcome, 'running'>,
    message: string,
    endedAt: number,
  ): Promise<boolean> {
    const rows = await this.q(
      `UPDATE releases SET outcome = $1, message = $2, ended_at = $3 WHERE id = $4 AND outcome = 'running' RETURNING id`,
      [outcome, message, endedAt, id],
    );
    return rows.length === 1;
  }

  async getRelease(id: number): Promise<Release | undefined> {
    const [row] = await this.q('SELECT * FROM releases WHERE id = $1', [id]);
    return row ? toRelease(row) : undefined;
  }

  async queryReleases(q: ReleaseQuery): Promise<Release[]> {
    const { where, args } = whereEqual(
      [
        ['service', q.service],
        ['environment', q.environment],
        ['outcome', q.outcome],
      ],
      pgParam,
    );
    args.push(q.limit ?? 50);
    const rows = await this.q(`SELECT * FROM releases ${where} ORDER BY id DESC LIMIT $${args.length}`, args);
    return rows.map(toRelease);
  }

  async insertStep(releaseId: number, name: string, startedAt: number): Promise<Step> {
    const [row] = await this.q(
      `INSERT INTO steps (release_id, seq, name, outcome, message, started_at)
       SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, 'running', '', $3 FROM steps WHERE release_id = $1 RETURNING *`,
      [releaseId, name, startedAt],
    );
    if (!row) throw new StoreError('insert returned no step');
    return toStep(row);
  }

  async finishStep(
    releaseId: number,
    seq: number,
    outcome: Exclude<StepOutcome, 'running'>,
    message: string,
    endedAt: number,
  ): Promise<void> {
    await this.q(
      `UPDATE steps SET outcome = $1, message = $2, ended_at = $3 WHERE release_id = $4 AND seq = $5 AND outcome = 'running'`,
      [outcome, message, endedAt, releaseId, seq],
    );
  }

  async listSteps(releaseId: number): Promise<Step[]> {
    return (await this.q('SELECT * FROM steps WHERE release_id = $1 ORDER BY seq', [releaseId])).map(toStep);
  }

  async acquireLease(
    key: string,
    holder: string,
    token: string,
    ttlMs: number,
    now: number,
  ): Promise<LeaseAcquire> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const prev = (await c.query('SELECT * FROM leases WHERE key = $1 FOR UPDATE', [key])).rows[0] as
        Row | undefined;
      const took = await c.query(
        `INSERT INTO leases (key, holder, token, release_id, acquired_at, expires_at) VALUES ($1, $2, $3, NULL, $4, $5)
         ON CONFLICT (key) DO UPDATE SET holder = excluded.holder, token = excluded.token, release_id = NULL,
           acquired_at = excluded.acquired_at, expires_at = excluded.expires_at
         WHERE leases.expires_at <= $4
         RETURNING *`,
        [key, holder, token, now, now + ttlMs],
      );
      await c.query('COMMIT');
      const row = took.rows[0] as Row | undefined;
      if (row) return { acquired: true, lease: toLease(row), previous: prev ? toLease(prev) : undefined };
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw new StoreError(`cannot take the lease ${key}: ${(e as Error).message}`, e);
    } finally {
      c.release();
    }
    const current = await this.getLease(key);
    if (!current) return this.acquireLease(key, holder, token, ttlMs, now); // released meanwhile
    return { acquired: false, current };
  }

  async renewLease(key: string, token: string, ttlMs: number, now: number): Promise<boolean> {
    const rows = await this.q(
      'UPDATE leases SET expires_at = $1 WHERE key = $2 AND token = $3 RETURNING key',
      [now + ttlMs, key, token],
    );
    return rows.length === 1;
  }

  async setLeaseRelease(key: string, token: string, releaseId: number): Promise<void> {
    await this.q('UPDATE leases SET release_id = $1 WHERE key = $2 AND token = $3', [releaseId, key, token]);
  }

  async releaseLease(key: string, token: string): Promise<void> {
    await this.q('DELETE FROM leases WHERE key = $1 AND token = $2', [key, token]);
  }

  async getLease(key: string): Promise<Lease | undefined> {
    const [row] = await this.q('SELECT * FROM leases WHERE key = $1', [key]);
    return row ? toLease(row) : undefined;
  }

  async appendAudit(e: AuditEntry): Promise<void> {
    await this.q(
      'INSERT INTO audit (at, actor, action, service, environment, release_id, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [e.at, e.actor, e.action, e.service, e.environment, e.releaseId ?? null, e.detail],
    );
  }

  async listAudit(q: { service?: string; environment?: string; limit?: number }): Promise<AuditEntry[]> {
    const { where, args } = whereEqual(
      [
        ['service', q.service],
        ['environment', q.environment],
      ],
      pgParam,
    );
    args.push(q.limit ?? 100);
    const rows = await this.q(`SELECT * FROM audit ${where} ORDER BY seq DESC LIMIT $${args.length}`, args);
    return rows.map(toAudit);
  }
}
