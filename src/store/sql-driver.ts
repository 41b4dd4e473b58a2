// The StoreDriver over SQL, for both SQLite (the embedded default for one person) and PostgreSQL
// (a team server). One set of statements, written with $n placeholders and RETURNING (SQLite
// ≥ 3.35 has both); a dialect supplies the connection, transactions and row locking. Leases are a
// compare-and-set inside one transaction, so concurrent ferry processes never both hold one.
import { StoreError } from './errors.ts';
import {
  RELEASE_COLUMNS,
  SUMMARY_COLUMNS,
  keyWhere,
  kindsOf,
  releaseValues,
  releaseWhere,
  toAudit,
  toLease,
  toRelease,
  toStep,
  toSummary,
  whereEqual,
  type Row,
} from './sql-rows.ts';
import type {
  AuditEntry,
  FinalOutcome,
  FinalStepOutcome,
  Lease,
  LeaseAcquire,
  LeaseRequest,
  NewRelease,
  Release,
  ReleaseKey,
  ReleaseOutcome,
  ReleaseQuery,
  ReleaseSummary,
  Step,
  StepName,
  StoreDriver,
} from './types.ts';
import type { Migration } from './sql-schema.ts';

/** Statements run on one connection (inside a transaction, or autocommitted). */
export interface SqlConn {
  /** rows of a SELECT or of a statement with RETURNING */
  all(sql: string, args?: readonly unknown[]): Promise<Row[]>;
  /** the number of rows a statement changed */
  run(sql: string, args?: readonly unknown[]): Promise<number>;
}

export interface SqlDialect extends SqlConn {
  readonly name: string;
  readonly migrations: readonly Migration[];
  /** appended to a SELECT that must lock the rows it reads until the transaction ends */
  readonly forUpdate: string;
  /** runs `fn` in one write transaction; a throw rolls it back */
  transaction<T>(fn: (c: SqlConn) => Promise<T>): Promise<T>;
  /** after ids were inserted explicitly: make the next generated id larger than `id` */
  advanceIds?(id: number): Promise<void>;
  /** applies pending migrations by id, one migrator at a time */
  migrate(): Promise<readonly string[]>;
  close(): Promise<void>;
}

const p = (n: number): string => `$${n}`;
const placeholders = (n: number, from = 1): string =>
  Array.from({ length: n }, (_, i) => p(i + from)).join(', ');

export class SqlDriver implements StoreDriver {
  readonly name: string;
  private readonly db: SqlDialect;

  constructor(dialect: SqlDialect) {
    this.db = dialect;
    this.name = dialect.name;
  }

  migrate(): Promise<readonly string[]> {
    return this.db.migrate();
  }

  close(): Promise<void> {
    return this.db.close();
  }

  private async insert(c: SqlConn, r: NewRelease, values: unknown[], id?: number): Promise<Row> {
    const cols = id === undefined ? RELEASE_COLUMNS.join(', ') : `id, ${RELEASE_COLUMNS.join(', ')}`;
    const args = id === undefined ? values : [id, ...values];
    const [row] = await c.all(
      `INSERT INTO releases (${cols}) VALUES (${placeholders(args.length)}) RETURNING *`,
      args,
    );
    if (!row) throw new StoreError('the insert returned no release');
    for (const kind of kindsOf(r.objects)) {
      await c.run(
        `INSERT INTO release_kinds (service, environment, kind) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [r.service, r.environment, kind],
      );
    }
    return row;
  }

  async insertRelease(r: NewRelease): Promise<Release> {
    return toRelease(await this.db.transaction((c) => this.insert(c, r, releaseValues(r))));
  }

  async importRelease(r: Release, steps: readonly Step[]): Promise<void> {
    await this.db.transaction(async (c) => {
      await this.insert(
        c,
        r,
        releaseValues(r, { outcome: r.outcome, message: r.message, endedAt: r.endedAt }),
        r.id,
      );
      for (const s of steps) {
        await c.run(
          'INSERT INTO steps (release_id, seq, name, outcome, message, started_at, ended_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
          [r.id, s.seq, s.name, s.outcome, s.message, s.startedAt, s.endedAt ?? null],
        );
      }
    });
    // PostgreSQL's sequence does not see explicit ids: move it past the imported one
    await this.db.advanceIds?.(r.id);
  }

  async finishRelease(
    key: ReleaseKey,
    outcome: FinalOutcome,
    message: string,
    endedAt: number,
  ): Promise<boolean> {
    const { where, args } = keyWhere(key, (n) => p(n + 3));
    const changed = await this.db.run(
      `UPDATE releases SET outcome = $1, message = $2, ended_at = $3 ${where} AND outcome = 'running'`,
      [outcome, message, endedAt, ...args],
    );
    return changed === 1;
  }

  async getRelease(key: ReleaseKey): Promise<Release | undefined> {
    const { where, args } = keyWhere(key, p);
    const [row] = await this.db.all(`SELECT * FROM releases ${where}`, args);
    return row ? toRelease(row) : undefined;
  }

  async listReleases(q: ReleaseQuery): Promise<ReleaseSummary[]> {
    const { where, args } = releaseWhere(q, p);
    args.push(q.limit ?? 50);
    const rows = await this.db.all(
      `SELECT ${SUMMARY_COLUMNS} FROM releases ${where} ORDER BY id DESC LIMIT ${p(args.length)}`,
      args,
    );
    return rows.map(toSummary);
  }

  async lastRelease(q: {
    service: string;
    environment: string;
    outcome?: ReleaseOutcome;
    beforeId?: number;
  }): Promise<Release | undefined> {
    const { where, args } = releaseWhere({ ...q, limit: 1 }, p);
    const [row] = await this.db.all(`SELECT * FROM releases ${where} ORDER BY id DESC LIMIT 1`, args);
    return row ? toRelease(row) : undefined;
  }

  async latestPerPair(q: { environment?: string }): Promise<ReleaseSummary[]> {
    const { where, args } = whereEqual([['environment', q.environment]], p);
    const rows = await this.db.all(
      `SELECT ${SUMMARY_COLUMNS} FROM releases WHERE id IN (SELECT MAX(id) FROM releases ${where} GROUP BY service, environment) ORDER BY service, environment`,
      args,
    );
    return rows.map(toSummary);
  }

  async kindsApplied(service: string, environment: string): Promise<string[]> {
    const rows = await this.db.all(
      'SELECT kind FROM release_kinds WHERE service = $1 AND environment = $2 ORDER BY kind',
      [service, environment],
    );
    return rows.map((r) => String(r.kind));
  }

  async deleteReleases(keys: readonly ReleaseKey[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db.transaction(async (c) => {
      for (const k of keys) {
        const { where, args } = keyWhere(k, p);
        const [row] = await c.all(`SELECT id FROM releases ${where}`, args);
        if (!row) continue;
        await c.run('DELETE FROM steps WHERE release_id = $1', [k.id]);
        await c.run('DELETE FROM releases WHERE id = $1', [k.id]);
      }
    });
  }

  async insertStep(key: ReleaseKey, name: StepName, startedAt: number): Promise<Step> {
    const [row] = await this.db.transaction((c) =>
      c.all(
        `INSERT INTO steps (release_id, seq, name, outcome, message, started_at)
         SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, 'running', '', $3 FROM steps WHERE release_id = $1 RETURNING *`,
        [key.id, name, startedAt],
      ),
    );
    if (!row) throw new StoreError('the insert returned no step');
    return toStep(row);
  }

  async finishStep(
    key: ReleaseKey,
    seq: number,
    outcome: FinalStepOutcome,
    message: string,
    endedAt: number,
  ): Promise<void> {
    await this.db.run(
      `UPDATE steps SET outcome = $1, message = $2, ended_at = $3 WHERE release_id = $4 AND seq = $5 AND outcome = 'running'`,
      [outcome, message, endedAt, key.id, seq],
    );
  }

  async listSteps(key: ReleaseKey): Promise<Step[]> {
    return (await this.db.all('SELECT * FROM steps WHERE release_id = $1 ORDER BY seq', [key.id])).map(
      toStep,
    );
  }

  /**
   * Takes the lease of `r.key` when `may(current)` allows it: an UPDATE of the row locked by the
   * transaction, or, when there is no row, an INSERT that loses (returns nothing) to a concurrent
   * first taker.
   */
  private async casLease(r: LeaseRequest, may: (current: Lease) => boolean): Promise<LeaseAcquire> {
    const owner = r.owner ? JSON.stringify(r.owner) : null;
    const got = await this.db.transaction(async (c): Promise<LeaseAcquire | undefined> => {
      const [row] = await c.all(`SELECT * FROM leases WHERE key = $1${this.db.forUpdate}`, [r.key]);
      const current = row ? toLease(row) : undefined;
      if (current && !may(current)) return { acquired: false, current };
      const [put] = current
        ? await c.all(
            `UPDATE leases SET holder = $2, token = $3, release_id = NULL, acquired_at = $4, expires_at = $5,
               generation = $6, owner = $7 WHERE key = $1 RETURNING *`,
            [r.key, r.holder, r.token, r.now, r.now + r.ttlMs, current.generation + 1, owner],
          )
        : await c.all(
            `INSERT INTO leases (key, holder, token, release_id, acquired_at, expires_at, generation, owner)
             VALUES ($1, $2, $3, NULL, $4, $5, 1, $6) ON CONFLICT (key) DO NOTHING RETURNING *`,
            [r.key, r.holder, r.token, r.now, r.now + r.ttlMs, owner],
          );
      return put ? { acquired: true, lease: toLease(put), previous: current } : undefined;
    });
    if (got) return got;
    const current = await this.getLease(r.key);
    // the concurrent taker already released it again: try once more
    if (!current) return this.casLease(r, may);
    return { acquired: false, current };
  }

  acquireLease(r: LeaseRequest): Promise<LeaseAcquire> {
    return this.casLease(r, (current) => current.expiresAt <= r.now);
  }

  takeOverLease(r: LeaseRequest, expectToken: string): Promise<LeaseAcquire> {
    return this.casLease(r, (current) => current.token === expectToken || current.expiresAt <= r.now);
  }

  async renewLease(key: string, token: string, ttlMs: number, now: number): Promise<boolean> {
    return (
      (await this.db.run('UPDATE leases SET expires_at = $1 WHERE key = $2 AND token = $3', [
        now + ttlMs,
        key,
        token,
      ])) === 1
    );
  }

  async setLeaseRelease(key: string, token: string, releaseId: number): Promise<void> {
    await this.db.run('UPDATE leases SET release_id = $1 WHERE key = $2 AND token = $3', [
      releaseId,
      key,
      token,
    ]);
  }

  async releaseLease(key: string, token: string): Promise<void> {
    await this.db.run('DELETE FROM leases WHERE key = $1 AND token = $2', [key, token]);
  }

  async getLease(key: string): Promise<Lease | undefined> {
    const [row] = await this.db.all('SELECT * FROM leases WHERE key = $1', [key]);
    return row ? toLease(row) : undefined;
  }

  async appendAudit(e: AuditEntry): Promise<void> {
    await this.db.run(
      `INSERT INTO audit (at, actor, action, service, environment, release_id, detail) VALUES (${placeholders(7)})`,
      [e.at, e.actor, e.action, e.service, e.environment, e.releaseId ?? null, e.detail],
    );
  }

  async listAudit(q: { service?: string; environment?: string; limit?: number }): Promise<AuditEntry[]> {
    const { where, args } = whereEqual(
      [
        ['service', q.service],
        ['environment', q.environment],
      ],
      p,
    );
    args.push(q.limit ?? 100);
    const rows = await this.db.all(
      `SELECT * FROM audit ${where} ORDER BY seq DESC LIMIT ${p(args.length)}`,
      args,
    );
    return rows.map(toAudit);
  }
}
