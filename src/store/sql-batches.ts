// Batches of the server's queue on SQL (a multi-target deploy): the requests a request waits for,
// the claim's batch rule, and the end of a batch after a request of it did not succeed — every
// request of it not yet started ends `cancelled`, saying which request stopped it and whether it
// waited for that one (directly or through others) or was merely stopped.
import { StoreError } from './errors.ts';
import type { SqlConn } from './sql-dialect.ts';
import type { NewBatch } from './server-types.ts';

/**
 * The claim's batch rule, on the candidate `r`: every request it waits for has succeeded, and a
 * request of a batch starts only while fewer than the batch's parallel run (one taken over from a
 * dead worker is already counted).
 */
export const CLAIM_BATCH_RULE = `
  AND NOT EXISTS (
    SELECT 1 FROM request_waits w JOIN requests d ON d.id = w.waits_for
    WHERE w.request_id = r.id AND d.state <> 'succeeded')
  AND (r.batch_id IS NULL OR r.state = 'running' OR r.batch_parallel IS NULL
    OR (SELECT COUNT(*) FROM requests b WHERE b.batch_id = r.batch_id AND b.state = 'running') < r.batch_parallel)`;

/** For each of `ids`, the requests it waits for (ascending). */
export async function waitsOf(c: SqlConn, ids: readonly number[]): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  if (ids.length === 0) return out;
  const rows = await c.all(
    `SELECT request_id, waits_for FROM request_waits WHERE request_id IN (${ids.map((_, i) => `$${i + 1}`).join(', ')}) ORDER BY waits_for`,
    ids,
  );
  for (const r of rows) {
    const id = Number(r.request_id);
    out.set(id, [...(out.get(id) ?? []), Number(r.waits_for)]);
  }
  return out;
}

/** Inserts the batch's requests (inside the caller's transaction); answers their ids in order. */
export async function insertBatchRows(c: SqlConn, b: NewBatch): Promise<number[]> {
  if (!Number.isInteger(b.parallel) || b.parallel < 1)
    throw new StoreError(`a batch's parallel must be a whole number ≥ 1, not ${b.parallel}`);
  const ids: number[] = [];
  for (const [i, r] of b.requests.entries()) {
    const waits = b.waits[i] ?? [];
    if (waits.some((j) => !Number.isInteger(j) || j < 0 || j >= i))
      throw new StoreError(
        `request ${i} of the batch waits for one that is not before it: ${waits.join(', ')}`,
      );
    const [row] = await c.all(
      `INSERT INTO requests (kind, service, environment, payload, requested_by, token_id, approvals_needed, state, created_at, batch_id, batch_parallel)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
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
        ids[0] ?? null,
        b.parallel,
      ],
    );
    const id = Number(row?.id);
    if (ids.length === 0) await c.run('UPDATE requests SET batch_id = $1 WHERE id = $1', [id]);
    for (const j of new Set(waits))
      await c.run('INSERT INTO request_waits (request_id, waits_for) VALUES ($1, $2)', [id, ids[j]]);
    ids.push(id);
  }
  return ids;
}

/**
 * After request `id` ended without success (inside the caller's transaction): the requests of its
 * batch not yet started end cancelled — those that wait for it first, as `dependency`, then the
 * rest, as `stopped`.
 */
export async function endBatchAfter(c: SqlConn, id: number, at: number): Promise<number> {
  const [row] = await c.all('SELECT service, state, batch_id FROM requests WHERE id = $1', [id]);
  if (!row || row.batch_id === null || row.batch_id === undefined || String(row.state) === 'succeeded')
    return 0;
  const what = `${String(row.service)} (request ${id}), which ended ${String(row.state)}`;
  const behind = await c.run(
    `WITH RECURSIVE dependants(id) AS (
       SELECT request_id FROM request_waits WHERE waits_for = $1
       UNION SELECT w.request_id FROM request_waits w JOIN dependants d ON w.waits_for = d.id)
     UPDATE requests SET state = 'cancelled', ended_at = $2, message = $3, blocked_by = $1, not_started = 'dependency'
     WHERE id IN (SELECT id FROM dependants) AND state IN ('queued', 'approval')`,
    [id, at, `not started: it comes after ${what}`],
  );
  const stopped = await c.run(
    `UPDATE requests SET state = 'cancelled', ended_at = $2, message = $3, blocked_by = $1, not_started = 'stopped'
     WHERE batch_id = $4 AND state IN ('queued', 'approval')`,
    [id, at, `not started: ${what}; nothing new of its batch starts`, Number(row.batch_id)],
  );
  return behind + stopped;
}
