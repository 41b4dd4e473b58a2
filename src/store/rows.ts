// What both SQL drivers share: table rows → domain objects, a new release → its INSERT values, and
// the equality filters of the list queries. The drivers keep only their dialect (placeholders,
// transactions, how a row comes back). Numbers go through Number(): PostgreSQL returns BIGINT as text.
import type {
  AuditEntry,
  Lease,
  NewRelease,
  Release,
  ReleaseOutcome,
  Step,
  StepOutcome,
  StoredObject,
} from './types.ts';

/** A row as a driver returns it: column name → value. */
export type Row = Record<string, unknown>;

const num = (v: unknown): number => Number(v);
const optNum = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));

export function toRelease(r: Row): Release {
  return {
    id: num(r.id),
    service: String(r.service),
    environment: String(r.environment),
    namespace: String(r.namespace),
    version: String(r.version),
    manifestDigest: String(r.manifest_digest),
    kind: r.kind === 'rollback' ? 'rollback' : 'deploy',
    sourceRelease: optNum(r.source_release),
    actor: String(r.actor),
    outcome: String(r.outcome) as ReleaseOutcome,
    message: String(r.message),
    startedAt: num(r.started_at),
    endedAt: optNum(r.ended_at),
    objects: JSON.parse(String(r.objects)) as StoredObject[],
    migrateDown:
      r.migrate_down === null || r.migrate_down === undefined
        ? undefined
        : (JSON.parse(String(r.migrate_down)) as StoredObject),
  };
}

export function toStep(r: Row): Step {
  return {
    releaseId: num(r.release_id),
    seq: num(r.seq),
    name: String(r.name),
    outcome: String(r.outcome) as StepOutcome,
    message: String(r.message),
    startedAt: num(r.started_at),
    endedAt: optNum(r.ended_at),
  };
}

export function toLease(r: Row): Lease {
  return {
    key: String(r.key),
    holder: String(r.holder),
    token: String(r.token),
    releaseId: optNum(r.release_id),
    acquiredAt: num(r.acquired_at),
    expiresAt: num(r.expires_at),
  };
}

export function toAudit(r: Row): AuditEntry {
  return {
    at: num(r.at),
    actor: String(r.actor),
    action: String(r.action),
    service: String(r.service),
    environment: String(r.environment),
    releaseId: optNum(r.release_id),
    detail: String(r.detail),
  };
}

/** The columns a new release is inserted with, in the order of releaseValues (outcome 'running',
 *  message '' and ended_at NULL are written as literals by the drivers). */
export const RELEASE_INSERT_COLUMNS =
  'service, environment, namespace, version, manifest_digest, kind, source_release, actor, outcome, message, started_at, ended_at, objects, migrate_down';

/** The values of a new release, in the order of its placeholders: 8 before the literals, 3 after. */
export function releaseValues(r: NewRelease): (string | number | null)[] {
  return [
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
  ];
}

/** `WHERE col = ? AND …` for the filters that are set (in the order given), and their values.
 *  `placeholder(n)` writes the n-th (1-based) parameter in the driver's dialect. */
export function whereEqual(
  filters: readonly (readonly [column: string, value: string | number | undefined])[],
  placeholder: (n: number) => string,
): { where: string; args: (string | number)[] } {
  const args: (string | number)[] = [];
  const conds: string[] = [];
  for (const [column, value] of filters) {
    if (value === undefined) continue;
    args.push(value);
    conds.push(`${column} = ${placeholder(args.length)}`);
  }
  return { where: conds.length ? `WHERE ${conds.join(' AND ')}` : '', args };
}
