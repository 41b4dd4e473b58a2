// The team server's records on SQL (server-types.ts), in the same dialect as the releases. The
// queue's claim is one UPDATE of the oldest runnable request, chosen under a row lock (PostgreSQL:
// FOR UPDATE SKIP LOCKED, so two replicas never claim one request and never wait on each other;
// SQLite: inside an IMMEDIATE transaction). Every write of a claimed request names its generation:
// a worker whose claim was taken over writes nothing any more (fencing).
import { StoreError } from './errors.ts';
import { decodeEnum, whereEqual, type Row } from './sql-rows.ts';
import type { SqlConn, SqlDialect } from './sql-dialect.ts';
import {
  FINAL_REQUEST_STATES,
  REQUEST_KINDS,
  REQUEST_STATES,
  ROLES,
  type AuditRecord,
  type NewBatch,
  type NewRequest,
  type PreviewRecord,
  type PersistedEvent,
  type QueuedRequest,
  type RequestClaim,
  type RequestQuery,
  type RequestState,
  type ServerStoreDriver,
  type TokenRecord,
} from './server-types.ts';
import type { ReleaseKey } from './types.ts';
import { deletePreview, getPreview, listPreviews, putPreview } from './sql-previews.ts';
import { CLAIM_BATCH_RULE, endBatchAfter, insertBatchRows, waitsOf } from './sql-batches.ts';

const p = (n: number): string => `$${n}`;
const optNum = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));
/** the final states as an SQL list (constants, not user input); the 0005 index says the same */
const FINAL_STATES_SQL = FINAL_REQUEST_STATES.map((s) => `'${s}'`).join(', ');
const optText = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));

function toToken(r: Row): TokenRecord {
  return {
    id: String(r.id),
    name: String(r.name),
    role: decodeEnum(ROLES, r.role, 'a token role'),
    environments: JSON.parse(String(r.environments)) as string[],
    hash: String(r.hash),
    createdAt: Number(r.created_at),
    createdBy: String(r.created_by),
    expiresAt: optNum(r.expires_at),
    revokedAt: optNum(r.revoked_at),
    lastUsedAt: optNum(r.last_used_at),
    lastUsedFrom: optText(r.last_used_from),
  };
}

const NOT_STARTED = ['dependency', 'stopped'] as const;

function toRequest(r: Row, approvedBy: readonly string[], waitsFor: readonly number[] = []): QueuedRequest {
  const releaseId = optNum(r.release_id);
  const blockedBy = optNum(r.blocked_by);
  return {
    id: Number(r.id),
    kind: decodeEnum(REQUEST_KINDS, r.kind, 'a request kind'),
    service: String(r.service),
    environment: String(r.environment),
    payload: JSON.parse(String(r.payload)) as Record<string, unknown>,
    requestedBy: String(r.requested_by),
    tokenId: optText(r.token_id),
    approvalsNeeded: Number(r.approvals_needed),
    state: decodeEnum(REQUEST_STATES, r.state, 'a request state'),
    createdAt: Number(r.created_at),
    startedAt: optNum(r.started_at),
    endedAt: optNum(r.ended_at),
    message: String(r.message),
    release:
      releaseId === undefined
        ? undefined
        : { service: String(r.service), environment: String(r.environment), id: releaseId },
    attempt: Number(r.attempt),
    cancelRequested: Number(r.cancel_requested) === 1,
    leaseOwner: optText(r.lease_owner),
    leaseGeneration: Number(r.lease_generation),
    leaseExpiresAt: optNum(r.lease_expires_at),
    approvedBy,
    batch: optNum(r.batch_id),
    waitsFor,
    notStarted:
      blockedBy === undefined
        ? undefined
        : { reason: decodeEnum(NOT_STARTED, r.not_started, 'a not-started reason'), blockedBy },
  };
}

function toAuditRecord(r: Row): AuditRecord {
  return {
    at: Number(r.at),
    actor: String(r.actor),
    token: optText(r.token),
    action: String(r.action),
    service: String(r.service),
    environment: String(r.environment),
    releaseId: optNum(r.release_id),
    detail: String(r.detail),
    source: optText(r.source),
    result: optText(r.result),
  };
}

export class SqlServerState implements ServerStoreDriver {
  private readonly db: SqlDialect;

  constructor(db: SqlDialect) {
    this.db = db;
  }

  // --- tokens ----------------------------------------------------------------------------------

  async insertToken(t: TokenRecord): Promise<void> {
    await this.db.run(
      `INSERT INTO tokens (id, name, role, environments, hash, created_at, created_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        t.id,
        t.name,
        t.role,
        JSON.stringify(t.environments),
        t.hash,
        t.createdAt,
        t.createdBy,
        t.expiresAt ?? null,
      ],
    );
  }

  async tokenByHash(hash: string): Promise<TokenRecord | undefined> {
    const [row] = await this.db.all('SELECT * FROM tokens WHERE hash = $1', [hash]);
    return row ? toToken(row) : undefined;
  }

  async listTokens(): Promise<TokenRecord[]> {
    return (await this.db.all('SELECT * FROM tokens ORDER BY created_at, id')).map(toToken);
  }

  async revokeToken(id: string, at: number): Promise<boolean> {
    return (
      (await this.db.run('UPDATE tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL', [
        id,
        at,
      ])) === 1
    );
  }

  async touchToken(id: string, at: number, from: string | undefined): Promise<void> {
    await this.db.run('UPDATE tokens SET last_used_at = $2, last_used_from = $3 WHERE id = $1', [
      id,
      at,
      from ?? null,
    ]);
  }

  // --- requests --------------------------------------------------------------------------------

  private async approvers(c: SqlConn, ids: readonly number[]): Promise<Map<number, string[]>> {
    const out = new Map<number, string[]>();
    if (ids.length === 0) return out;
    const rows = await c.all(
      `SELECT request_id, approver FROM approvals WHERE request_id IN (${ids.map((_, i) => p(i + 1)).join(', ')}) ORDER BY at, approver`,
      ids,
    );
    for (const r of rows) {
      const id = Number(r.request_id);
      out.set(id, [...(out.get(id) ?? []), String(r.approver)]);
    }
    return out;
  }

  private async withApprovers(c: SqlConn, rows: readonly Row[]): Promise<QueuedRequest[]> {
    const ids = rows.map((r) => Number(r.id));
    const by = await this.approvers(c, ids);
    const waits = await waitsOf(c, ids);
    return rows.map((r) => toRequest(r, by.get(Number(r.id)) ?? [], waits.get(Number(r.id)) ?? []));
  }

  async insertRequest(r: NewRequest): Promise<QueuedRequest> {
    const row = await this.insertRequestRow(r, null);
    if (!row) throw new StoreError('the insert returned no request');
    return toRequest(row, []);
  }

  async insertRequestOnce(
    r: NewRequest,
    key: string,
  ): Promise<{ request: QueuedRequest; inserted: boolean }> {
    // the holder may finish between a refused insert and the read: then the insert is tried again
    for (let attempt = 0; attempt < 5; attempt++) {
      const row = await this.insertRequestRow(r, key);
      if (row) return { request: toRequest(row, []), inserted: true };
      const [held] = await this.db.all(
        `SELECT * FROM requests WHERE coalesce_key = $1 AND state NOT IN (${FINAL_STATES_SQL}) ORDER BY id DESC LIMIT 1`,
        [key],
      );
      if (held) {
        const [request] = await this.withApprovers(this.db, [held]);
        if (request) return { request, inserted: false };
      }
    }
    throw new StoreError(`request key ${key} kept changing hands; try again`);
  }

  /** the inserted row, or undefined when an unfinished request holds `key` */
  private async insertRequestRow(r: NewRequest, key: string | null): Promise<Row | undefined> {
    const [row] = await this.db.all(
      `INSERT INTO requests (kind, service, environment, payload, requested_by, token_id, approvals_needed, state, created_at, coalesce_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING *`,
      [
        r.kind,
        r.service,
        r.environment,
        JSON.stringify(r.payload),
        r.requestedBy,
        r.tokenId ?? null,
        r.approvalsNeeded,
        r.approvalsNeeded > 0 ? 'approval' : 'queued',
        r.createdAt,
        key,
      ],
    );
    return row;
  }

  async insertBatch(b: NewBatch): Promise<QueuedRequest[]> {
    return this.db.transaction(async (c) => {
      const ids = await insertBatchRows(c, b);
      const rows = await c.all(`SELECT * FROM requests WHERE batch_id = $1 ORDER BY id`, [ids[0]]);
      return this.withApprovers(c, rows);
    });
  }

  async getRequest(id: number): Promise<QueuedRequest | undefined> {
    const [row] = await this.db.all('SELECT * FROM requests WHERE id = $1', [id]);
    if (!row) return undefined;
    return (await this.withApprovers(this.db, [row]))[0];
  }

  async listRequests(q: RequestQuery): Promise<QueuedRequest[]> {
    const { where, args } = whereEqual(
      [
        ['state', q.state],
        ['service', q.service],
        ['environment', q.environment],
        ['batch_id', q.batch],
      ],
      p,
      [[(x) => `id < ${x}`, q.beforeId]],
    );
    args.push(q.limit ?? 50);
    const rows = await this.db.all(
      `SELECT * FROM requests ${where} ORDER BY id DESC LIMIT ${p(args.length)}`,
      args,
    );
    return this.withApprovers(this.db, rows);
  }

  async approveRequest(id: number, by: string, at: number): Promise<QueuedRequest | undefined> {
    return this.db.transaction(async (c) => {
      const [row] = await c.all(`SELECT * FROM requests WHERE id = $1${this.db.forUpdate}`, [id]);
      if (!row) return undefined;
      if (String(row.state) === 'approval') {
        await c.run(
          'INSERT INTO approvals (request_id, approver, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
          [id, by, at],
        );
        const [{ n } = { n: 0 }] = (await c.all('SELECT COUNT(*) AS n FROM approvals WHERE request_id = $1', [
          id,
        ])) as {
          n: unknown;
        }[];
        if (Number(n) >= Number(row.approvals_needed))
          await c.run("UPDATE requests SET state = 'queued' WHERE id = $1 AND state = 'approval'", [id]);
      }
      const [after] = await c.all('SELECT * FROM requests WHERE id = $1', [id]);
      return after ? (await this.withApprovers(c, [after]))[0] : undefined;
    });
  }

  async claimRequest(owner: string, ttlMs: number, now: number): Promise<QueuedRequest | undefined> {
    return this.db.transaction(async (c) => {
      // the oldest runnable request of a pair whose older requests are all finished or held for approval
      const [pick] = await c.all(
        `SELECT r.id FROM requests r
         WHERE (r.state = 'queued' OR (r.state = 'running' AND r.lease_expires_at < $1))
           AND NOT EXISTS (
             SELECT 1 FROM requests o
             WHERE o.service = r.service AND o.environment = r.environment AND o.id < r.id
               AND (o.state = 'queued' OR o.state = 'running'))${CLAIM_BATCH_RULE}
         ORDER BY r.id LIMIT 1${this.db.forUpdate}${this.db.forUpdate ? ' SKIP LOCKED' : ''}`,
        [now],
      );
      if (!pick) return undefined;
      const [row] = await c.all(
        `UPDATE requests SET state = 'running', lease_owner = $2, lease_generation = lease_generation + 1,
           lease_expires_at = $3, started_at = COALESCE(started_at, $4), attempt = attempt + 1
         WHERE id = $1 RETURNING *`,
        [Number(pick.id), owner, now + ttlMs, now],
      );
      return row ? (await this.withApprovers(c, [row]))[0] : undefined;
    });
  }

  async renewClaim(k: RequestClaim, ttlMs: number, now: number): Promise<boolean> {
    return (
      (await this.db.run(
        `UPDATE requests SET lease_expires_at = $4 WHERE id = $1 AND lease_owner = $2 AND lease_generation = $3 AND state = 'running'`,
        [k.id, k.owner, k.generation, now + ttlMs],
      )) === 1
    );
  }

  async setRequestRelease(k: RequestClaim, release: ReleaseKey): Promise<boolean> {
    return (
      (await this.db.run(
        `UPDATE requests SET release_id = $4 WHERE id = $1 AND lease_owner = $2 AND lease_generation = $3 AND state = 'running'`,
        [k.id, k.owner, k.generation, release.id],
      )) === 1
    );
  }

  async finishRequest(k: RequestClaim, state: RequestState, message: string, at: number): Promise<boolean> {
    return this.db.transaction(async (c) => {
      const done =
        (await c.run(
          `UPDATE requests SET state = $4, message = $5, ended_at = $6, lease_expires_at = NULL
           WHERE id = $1 AND lease_owner = $2 AND lease_generation = $3 AND state = 'running'`,
          [k.id, k.owner, k.generation, state, message, at],
        )) === 1;
      if (done) await endBatchAfter(c, k.id, at);
      return done;
    });
  }

  async cancelRequest(id: number, at: number): Promise<QueuedRequest | undefined> {
    await this.db.transaction(async (c) => {
      const ended = await c.run(
        `UPDATE requests SET state = 'cancelled', ended_at = $2, message = 'cancelled before it ran'
         WHERE id = $1 AND state IN ('queued', 'approval')`,
        [id, at],
      );
      if (ended === 1) await endBatchAfter(c, id, at);
      await c.run(`UPDATE requests SET cancel_requested = 1 WHERE id = $1 AND state = 'running'`, [id]);
    });
    return this.getRequest(id);
  }

  async releaseClaim(k: RequestClaim): Promise<void> {
    await this.db.run(
      `UPDATE requests SET state = 'queued', lease_owner = NULL, lease_expires_at = NULL
       WHERE id = $1 AND lease_owner = $2 AND lease_generation = $3 AND state = 'running'`,
      [k.id, k.owner, k.generation],
    );
  }

  // --- events ----------------------------------------------------------------------------------

  async appendEvent(type: string, data: Record<string, unknown>, at: number): Promise<number> {
    const [row] = await this.db.all('INSERT INTO events (at, type, data) VALUES ($1, $2, $3) RETURNING seq', [
      at,
      type,
      JSON.stringify(data),
    ]);
    return Number(row?.seq);
  }

  async eventsAfter(seq: number, limit: number): Promise<PersistedEvent[]> {
    const rows = await this.db.all('SELECT * FROM events WHERE seq > $1 ORDER BY seq LIMIT $2', [seq, limit]);
    return rows.map((r) => ({
      seq: Number(r.seq),
      at: Number(r.at),
      type: String(r.type),
      data: JSON.parse(String(r.data)) as Record<string, unknown>,
    }));
  }

  async lastEventSeq(): Promise<number> {
    const [row] = await this.db.all('SELECT COALESCE(MAX(seq), 0) AS seq FROM events');
    return Number(row?.seq ?? 0);
  }

  async pruneEvents(before: number): Promise<number> {
    return this.db.run('DELETE FROM events WHERE at < $1', [before]);
  }

  // --- audit, deliveries -----------------------------------------------------------------------

  async appendAuditRecord(e: AuditRecord): Promise<void> {
    await this.db.run(
      `INSERT INTO audit (at, actor, action, service, environment, release_id, detail, token, source, result)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        e.at,
        e.actor,
        e.action,
        e.service,
        e.environment,
        e.releaseId ?? null,
        e.detail,
        e.token ?? null,
        e.source ?? null,
        e.result ?? null,
      ],
    );
  }

  async listAuditRecords(q: {
    actor?: string;
    service?: string;
    beforeAt?: number;
    limit?: number;
  }): Promise<AuditRecord[]> {
    const { where, args } = whereEqual(
      [
        ['actor', q.actor],
        ['service', q.service],
      ],
      p,
      [[(x) => `at < ${x}`, q.beforeAt]],
    );
    args.push(q.limit ?? 100);
    const rows = await this.db.all(
      `SELECT * FROM audit ${where} ORDER BY seq DESC LIMIT ${p(args.length)}`,
      args,
    );
    return rows.map(toAuditRecord);
  }

  // --- previews (sql-previews.ts) --------------------------------------------------------------

  putPreview(p: PreviewRecord): Promise<void> {
    return putPreview(this.db, p);
  }

  getPreview(number: number): Promise<PreviewRecord | undefined> {
    return getPreview(this.db, number);
  }

  listPreviews(): Promise<PreviewRecord[]> {
    return listPreviews(this.db);
  }

  deletePreview(number: number): Promise<boolean> {
    return deletePreview(this.db, number);
  }

  async recordDelivery(source: string, id: string, event: string, at: number): Promise<boolean> {
    return (
      (await this.db.run(
        'INSERT INTO deliveries (source, id, event, at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        [source, id, event, at],
      )) === 1
    );
  }
}
