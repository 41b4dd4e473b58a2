// What both SQL drivers share: table rows → domain objects (every enumerated column decoded with a
// check: a value this version does not know is a StoreError, never silently another kind), a new
// release → its INSERT values, and the equality filters of the list queries. The drivers keep
// only their dialect. Numbers go through Number(): PostgreSQL returns BIGINT as text.
import { StoreError } from './errors.ts';
import {
  RELEASE_KINDS,
  RELEASE_OUTCOMES,
  STEP_NAMES,
  STEP_OUTCOMES,
  type AuditEntry,
  type Lease,
  type LeaseOwner,
  type NewRelease,
  type Release,
  type ReleaseKey,
  type ReleaseQuery,
  type ReleaseSource,
  type ReleaseSummary,
  type Step,
  type StoredObject,
  type Verification,
} from './types.ts';

/** A row as a driver returns it: column name → value. */
export type Row = Record<string, unknown>;

const num = (v: unknown): number => Number(v);
const optNum = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));
const optText = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));

/** `value` as one of `allowed`, or a StoreError naming the column. */
export function decodeEnum<T extends string>(allowed: readonly T[], value: unknown, what: string): T {
  const s = String(value);
  if ((allowed as readonly string[]).includes(s)) return s as T;
  throw new StoreError(`the store holds ${what} "${s}", which this version of ferry does not know`);
}

function json<T>(v: unknown, what: string): T {
  try {
    return JSON.parse(String(v)) as T;
  } catch (e) {
    throw new StoreError(`the store holds an unreadable ${what}`, e);
  }
}

function sourceKey(r: Row): ReleaseKey | undefined {
  const id = optNum(r.source_release);
  if (id === undefined) return undefined;
  return {
    service: optText(r.source_service) ?? String(r.service),
    environment: optText(r.source_environment) ?? String(r.environment),
    id,
  };
}

export function toSummary(r: Row): ReleaseSummary {
  return {
    id: num(r.id),
    service: String(r.service),
    environment: String(r.environment),
    namespace: String(r.namespace),
    version: String(r.version),
    manifestDigest: String(r.manifest_digest),
    kind: decodeEnum(RELEASE_KINDS, r.kind, 'a release kind'),
    sourceRelease: sourceKey(r),
    actor: String(r.actor),
    source: json<ReleaseSource>(r.source ?? '{}', 'release source'),
    outcome: decodeEnum(RELEASE_OUTCOMES, r.outcome, 'a release outcome'),
    message: String(r.message),
    startedAt: num(r.started_at),
    endedAt: optNum(r.ended_at),
  };
}

export function toRelease(r: Row): Release {
  return {
    ...toSummary(r),
    objects: json<StoredObject[]>(r.objects, 'object set'),
    migrateDown:
      r.migrate_down === null || r.migrate_down === undefined
        ? undefined
        : json<StoredObject>(r.migrate_down, 'down migration'),
    verification: json<Verification>(r.verification, 'verification'),
  };
}

export function toStep(r: Row): Step {
  return {
    seq: num(r.seq),
    name: decodeEnum(STEP_NAMES, r.name, 'a step name'),
    outcome: decodeEnum(STEP_OUTCOMES, r.outcome, 'a step outcome'),
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
    generation: num(r.generation ?? 0),
    releaseId: optNum(r.release_id),
    owner: r.owner === null || r.owner === undefined ? undefined : json<LeaseOwner>(r.owner, 'lease owner'),
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

/** The columns a release is inserted with, in the order of releaseValues. */
export const RELEASE_COLUMNS = [
  'service',
  'environment',
  'namespace',
  'version',
  'manifest_digest',
  'kind',
  'source_release',
  'source_service',
  'source_environment',
  'actor',
  'outcome',
  'message',
  'started_at',
  'ended_at',
  'objects',
  'migrate_down',
  'verification',
  'source',
] as const;

/** The columns of a summary: everything but the bodies. */
export const SUMMARY_COLUMNS =
  'id, service, environment, namespace, version, manifest_digest, kind, source_release, source_service, source_environment, actor, source, outcome, message, started_at, ended_at';

type Value = string | number | null;

/** The values of a release in RELEASE_COLUMNS order; a new one is running, with no message yet. */
export function releaseValues(
  r: NewRelease,
  state: { outcome: string; message: string; endedAt: number | undefined } = {
    outcome: 'running',
    message: '',
    endedAt: undefined,
  },
): Value[] {
  return [
    r.service,
    r.environment,
    r.namespace,
    r.version,
    r.manifestDigest,
    r.kind,
    r.sourceRelease?.id ?? null,
    r.sourceRelease?.service ?? null,
    r.sourceRelease?.environment ?? null,
    r.actor,
    state.outcome,
    state.message,
    r.startedAt,
    state.endedAt ?? null,
    JSON.stringify(r.objects),
    r.migrateDown === undefined ? null : JSON.stringify(r.migrateDown),
    JSON.stringify(r.verification),
    JSON.stringify(r.source),
  ];
}

/** The kinds of a release's objects, each once. */
export function kindsOf(objects: readonly StoredObject[]): string[] {
  return [...new Set(objects.map((o) => o.kind))].sort();
}

/** `WHERE col = ? AND …` for the filters that are set (in the order given), and their values.
 *  `placeholder(n)` writes the n-th (1-based) parameter in the driver's dialect. */
export function whereEqual(
  filters: readonly (readonly [column: string, value: string | number | undefined])[],
  placeholder: (n: number) => string,
  extra: readonly (readonly [condition: (p: string) => string, value: string | number | undefined])[] = [],
): { where: string; args: (string | number)[] } {
  const args: (string | number)[] = [];
  const conds: string[] = [];
  for (const [column, value] of filters) {
    if (value === undefined) continue;
    args.push(value);
    conds.push(`${column} = ${placeholder(args.length)}`);
  }
  for (const [cond, value] of extra) {
    if (value === undefined) continue;
    args.push(value);
    conds.push(cond(placeholder(args.length)));
  }
  return { where: conds.length ? `WHERE ${conds.join(' AND ')}` : '', args };
}

/** The WHERE of a release query (filters and the cursor). */
export function releaseWhere(
  q: ReleaseQuery,
  placeholder: (n: number) => string,
): { where: string; args: (string | number)[] } {
  return whereEqual(
    [
      ['service', q.service],
      ['environment', q.environment],
      ['outcome', q.outcome],
      ['kind', q.kind],
    ],
    placeholder,
    [[(p) => `id < ${p}`, q.beforeId]],
  );
}

/** The WHERE naming one release. */
export function keyWhere(
  k: ReleaseKey,
  placeholder: (n: number) => string,
): { where: string; args: (string | number)[] } {
  return whereEqual(
    [
      ['id', k.id],
      ['service', k.service],
      ['environment', k.environment],
    ],
    placeholder,
  );
}
