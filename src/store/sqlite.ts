// SQLite driver (better-sqlite3): the embedded default store at .ferry/state.db. WAL mode and a
// busy timeout let several ferry processes share one file; lease changes run in IMMEDIATE
// transactions so two processes can never both take the same lease.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from './errors.ts';
import { sqliteMigrations } from './sqlite-migrations.ts';
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
  StoredObject,
} from './types.ts';

interface ReleaseRow {
  id: number;
  service: string;
  environment: string;
  namespace: string;
  version: string;
  manifest_digest: string;
  kind: string;
  source_release: number | null;
  actor: string;
  outcome: string;
  message: string;
  started_at: number;
  ended_at: number | null;
  objects: string;
  migrate_down: string | null;
}

interface StepRow {
  release_id: number;
  seq: number;
  name: string;
  outcome: string;
  message: string;
  started_at: number;
  ended_at: number | null;
}

interface LeaseRow {
  key: string;
  holder: string;
  token: string;
  release_id: number | null;
  acquired_at: number;
  expires_at: number;
}

interface AuditRow {
  at: number;
  actor: string;
  action: string;
  service: string;
  environment: string;
  release_id: number | null;
  detail: string;
}

function toRelease(r: ReleaseRow): Release {
  return {
    id: r.id,
    service: r.service,
    environment: r.environment,
    namespace: r.namespace,
    version: r.version,
    manifestDigest: r.manifest_digest,
    kind: r.kind === 'rollback' ? 'rollback' : 'deploy',
    sourceRelease: r.source_release ?? undefined,
    actor: r.actor,
    outcome: r.outcome as ReleaseOutcome,
    message: r.message,
    startedAt: r.started_at,
    endedAt: r.ended_at ?? undefined,
    objects: JSON.parse(r.objects) as StoredObject[],
    migrateDown: r.migrate_down === null ? undefined : (JSON.parse(r.migrate_down) as StoredObject),
  };
}

function toStep(r: StepRow): Step {
  return {
    releaseId: r.release_id,
    seq: r.seq,
    name: r.name,
    outcome: r.outcome as StepOutcome,
    message: r.message,
    startedAt: r.started_at,
    endedAt: r.ended_at ?? undefined,
  };
}

function toLease(r: LeaseRow): Lease {
  return {
    key: r.key,
    holder: r.holder,
    token: r.token,
    releaseId: r.release_id ?? undefined,
    acquiredAt: r.acquired_at,
    expiresAt: r.expires_at,
  };
}

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
        `INSERT INTO releases (service, environment, namespace, version, manifest_digest, kind, source_release,
           actor, outcome, message, started_at, ended_at, objects, migrate_down)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running', '', ?, NULL, ?, ?)`,
      )
      .run(
        r.service,
        r.environment,
        r.namespace,
        r.version,
        r.manifestDigest,
        r.kind,
        r.sourceRelease ?? null,
        r.actor,
        r.startedAt,
        JSON.stringify(r.objects),
        r.migrateDown === undefined ? null : JSON.stringify(r.migrateDown),
      );
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
    const row = this.db.prepare('SELECT * FROM releases WHERE id = ?').get(id) as ReleaseRow | undefined;
    return row ? toRelease(row) : undefined;
  }

  async queryReleases(q: ReleaseQuery): Promise<Release[]> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.service !== undefined) {
      where.push('service = ?');
      args.push(q.service);
    }
    if (q.environment !== undefined) {
      where.push('environment = ?');
      args.push(q.environment);
    }
    if (q.outcome !== undefined) {
      where.push('outcome = ?');
      args.push(q.outcome);
    }
    const sql = `SELECT * FROM releases ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    args.push(q.limit ?? 50);
    return (this.db.prepare(sql).all(...args) as ReleaseRow[]).map(toRelease);
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
      this.db.prepare('SELECT * FROM steps WHERE release_id = ? ORDER BY seq').all(releaseId) as StepRow[]
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
      const row = this.db.prepare('SELECT * FROM leases WHERE key = ?').get(key) as LeaseRow | undefined;
      if (row && row.expires_at > now) return { acquired: false, current: toLease(row) };
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
    const row = this.db.prepare('SELECT * FROM leases WHERE key = ?').get(key) as LeaseRow | undefined;
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
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.service !== undefined) {
      where.push('service = ?');
      args.push(q.service);
    }
    if (q.environment !== undefined) {
      where.push('environment = ?');
      args.push(q.environment);
    }
    args.push(q.limit ?? 100);
    const rows = this.db
      .prepare(
        `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`,
      )
      .all(...args) as AuditRow[];
    return rows.map((r) => ({
      at: r.at,
      actor: r.actor,
      action: r.action,
      service: r.service,
      environment: r.environment,
      releaseId: r.release_id ?? undefined,
      detail: r.detail,
    }));
  }
}
