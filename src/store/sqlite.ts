// SQLite driver (better-sqlite3): the embedded default store at .ferry/state.db. WAL mode and a
// busy timeout let several ferry processes share one file; lease changes run in IMMEDIATE
// transactions so two processes can never both take the same lease.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
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
import { sqliteMigrations } from './schema.ts';
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

const sqliteParam = (): string => '?';

export class SqliteDriver implements StoreDriver {
  readonly name = 'sqlite';
  readonly path: string;
  private readonly db: Database.Database;

  constructor(path: string) {
    this.path = path;
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('busy_timeout = 5000');
      this.db.pragma('foreign_keys = ON');
    } catch (e) {
      throw new StoreError(`cannot open the store at ${path}`, e);
    }
  }

  async migrate(): Promise<readonly string[]> {
    try {
      this.db.exec(
        'CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)',
      );
      const applied: string[] = [];
      const run = this.db.transaction(() => {
        const done = new Set(
          (this.db.prepare('SELECT id FROM schema_migrations').all() as { id: string }[]).map((r) => r.id),
        );
        for (const m of sqliteMigrations) {
          if (done.has(m.id)) continue;
          this.db.exec(m.sql);
          this.db
            .prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)')
            .run(m.id, Date.now());
          applied.push(m.id);
        }
      });
      run.immediate();
      return applied;
    } catch (e) {
      throw new StoreError(`cannot migrate the store at ${this.path}`, e);
    }
  }

  async close(): Promise<void> {
    this.db.close();
  }

  async insertRelease(r: NewRelease): Promise<Release> {
    const info = this.db
      .prepare(
        `INSERT INTO releases (${RELEASE_INSERT_COLUMNS})
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running', '', ?, NULL, ?, ?)`,
      )
      .run(...releaseValues(r));
    const got = await this.getRelease(Number(info.lastInsertRowid));
    if (!got) throw new StoreError('release vanished after insert');
    return got;
  }

  async finishRelease(
    id: number,
    outcome: Exclude<ReleaseOutcome, 'running'>,
    message: string,
    endedAt: number,
  ): Promise<boolean> {
    const info = this.db
      .prepare(
        `UPDATE releases SET outcome = ?, message = ?, ended_at = ? WHERE id = ? AND outcome = 'running'`,
      )
      .run(outcome, message, endedAt, id);
    return info.changes === 1;
  }

  async getRelease(id: number): Promise<Release | undefined> {
    const row = this.db.prepare('SELECT * FROM releases WHERE id = ?').get(id) as Row | undefined;
    return row ? toRelease(row) : undefined;
  }

  async queryReleases(q: ReleaseQuery): Promise<Release[]> {
    const { where, args } = whereEqual(
      [
        ['service', q.service],
        ['environment', q.environment],
        ['outcome', q.outcome],
      ],
      sqliteParam,
    );
    args.push(q.limit ?? 50);
    const sql = `SELECT * FROM releases ${where} ORDER BY id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args) as Row[]).map(toRelease);
  }

  async insertStep(releaseId: number, name: string, startedAt: number): Promise<Step> {
    const tx = this.db.transaction(() => {
      const next = this.db
        .prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM steps WHERE release_id = ?')
        .get(releaseId) as { seq: number };
      this.db
        .prepare(
          `INSERT INTO steps (release_id, seq, name, outcome, message, started_at) VALUES (?, ?, ?, 'running', '', ?)`,
        )
        .run(releaseId, next.seq, name, startedAt);
      return next.seq;
    });
    const seq = tx.immediate();
    return { releaseId, seq, name, outcome: 'running', message: '', startedAt, endedAt: undefined };
  }

  async finishStep(
    releaseId: number,
    seq: number,
    outcome: Exclude<StepOutcome, 'running'>,
    message: string,
    endedAt: number,
  ): Promise<void> {
    this.db
      .prepare(
        `UPDATE steps SET outcome = ?, message = ?, ended_at = ? WHERE release_id = ? AND seq = ? AND outcome = 'running'`,
      )
      .run(outcome, message, endedAt, releaseId, seq);
  }

  async listSteps(releaseId: number): Promise<Step[]> {
    return (
      this.db.prepare('SELECT * FROM steps WHERE release_id = ? ORDER BY seq').all(releaseId) as Row[]
    ).map(toStep);
  }

  async acquireLease(
    key: string,
    holder: string,
    token: string,
    ttlMs: number,
    now: number,
  ): Promise<LeaseAcquire> {
    const tx = this.db.transaction((): LeaseAcquire => {
      const row = this.db.prepare('SELECT * FROM leases WHERE key = ?').get(key) as Row | undefined;
      if (row && Number(row.expires_at) > now) return { acquired: false, current: toLease(row) };
      this.db
        .prepare(
          `INSERT INTO leases (key, holder, token, release_id, acquired_at, expires_at) VALUES (?, ?, ?, NULL, ?, ?)
           ON CONFLICT (key) DO UPDATE SET holder = excluded.holder, token = excluded.token, release_id = NULL,
             acquired_at = excluded.acquired_at, expires_at = excluded.expires_at`,
        )
        .run(key, holder, token, now, now + ttlMs);
      const lease: Lease = {
        key,
        holder,
        token,
        releaseId: undefined,
        acquiredAt: now,
        expiresAt: now + ttlMs,
      };
      return { acquired: true, lease, previous: row ? toLease(row) : undefined };
    });
    return tx.immediate();
  }

  async renewLease(key: string, token: string, ttlMs: number, now: number): Promise<boolean> {
    const info = this.db
      .prepare('UPDATE leases SET expires_at = ? WHERE key = ? AND token = ?')
      .run(now + ttlMs, key, token);
    return info.changes === 1;
  }

  async setLeaseRelease(key: string, token: string, releaseId: number): Promise<void> {
    this.db
      .prepare('UPDATE leases SET release_id = ? WHERE key = ? AND token = ?')
      .run(releaseId, key, token);
  }

  async releaseLease(key: string, token: string): Promise<void> {
    this.db.prepare('DELETE FROM leases WHERE key = ? AND token = ?').run(key, token);
  }

  async getLease(key: string): Promise<Lease | undefined> {
    const row = this.db.prepare('SELECT * FROM leases WHERE key = ?').get(key) as Row | undefined;
    return row ? toLease(row) : undefined;
  }

  async appendAudit(e: AuditEntry): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO audit (at, actor, action, service, environment, release_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(e.at, e.actor, e.action, e.service, e.environment, e.releaseId ?? null, e.detail);
  }

  async listAudit(q: { service?: string; environment?: string; limit?: number }): Promise<AuditEntry[]> {
    const { where, args } = whereEqual(
      [
        ['service', q.service],
        ['environment', q.environment],
      ],
      sqliteParam,
    );
    args.push(q.limit ?? 100);
    const rows = this.db
      .prepare(`SELECT * FROM audit ${where} ORDER BY seq DESC LIMIT ?`)
      .all(...args) as Row[];
    return rows.map(toAudit);
  }
}
