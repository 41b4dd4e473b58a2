// Moves history from one store to another (`ferry store migrate`): every release of every
// (service, environment) pair with its steps, keeping ids and outcomes, then the audit trail.
// First a plan that reads both sides and refuses — before anything is written — a release
// running in the source, a different release under the same key in the target, an id the
// target cannot keep, or an environment the target cannot place. Then each release is imported
// on its own, atomically (one transaction in SQL; in the cluster the release Secret is written
// last), releases the target holds already are skipped, and audit entries the target holds
// already are not appended again: a run cut short (Ctrl-C, a lost connection) leaves whole
// releases only, and a second run completes it without duplicates. Leases are not moved.
import { FerryError } from '../errors.ts';
import type { Store } from './store.ts';
import { formatKey, keyOf, type AuditEntry, type ReleaseSummary } from './types.ts';

export type MigrateEvent =
  | { type: 'planned'; pairs: number; releases: number; present: number; audit: number }
  | { type: 'pair'; service: string; environment: string; moved: number; present: number }
  | { type: 'audit'; moved: number; present: number };

export interface PairResult {
  service: string;
  environment: string;
  releases: number;
  moved: number;
  /** already in the target (an earlier run) */
  present: number;
}

export interface MigrateResult {
  pairs: PairResult[];
  releases: { total: number; moved: number; present: number };
  audit: { total: number; moved: number; present: number };
}

export interface MigrateOptions {
  /** move releases still `running` in the source as they are (default: refuse) */
  includeRunning?: boolean;
  onProgress?: (e: MigrateEvent) => void;
  /** stops between two releases (or audit entries); what was moved stays moved */
  signal?: AbortSignal;
}

const PAGE = 500;
const ALL = Number.MAX_SAFE_INTEGER;
/** The SQL drivers number releases in one sequence across every service. */
const ONE_ID_SEQUENCE = new Set(['sqlite', 'postgres']);

/** Every release summary of one pair, oldest first. */
async function pairHistory(store: Store, service: string, environment: string): Promise<ReleaseSummary[]> {
  const out: ReleaseSummary[] = [];
  let beforeId: number | undefined;
  do {
    const page = await store.releases({
      service,
      environment,
      limit: PAGE,
      ...(beforeId ? { beforeId } : {}),
    });
    out.push(...page.items);
    beforeId = page.next;
  } while (beforeId !== undefined);
  return out.reverse();
}

interface Pair {
  service: string;
  environment: string;
  /** oldest first */
  releases: ReleaseSummary[];
}

const pairKey = (p: { service: string; environment: string }) => `${p.service}/${p.environment}`;

/** Every pair of the store with its history, by service then environment. */
async function everything(store: Store): Promise<Map<string, Pair>> {
  const out = new Map<string, Pair>();
  for (const { service, environment } of await store.latestPerService()) {
    out.set(pairKey({ service, environment }), {
      service,
      environment,
      releases: await pairHistory(store, service, environment),
    });
  }
  return out;
}

const sameRelease = (a: ReleaseSummary, b: ReleaseSummary) =>
  a.startedAt === b.startedAt &&
  a.version === b.version &&
  a.manifestDigest === b.manifestDigest &&
  a.actor === b.actor;

function conflict(
  message: string,
  hint: string,
  code: 'E_MIGRATE_CONFLICT' | 'E_MIGRATE_RUNNING' = 'E_MIGRATE_CONFLICT',
): FerryError {
  return new FerryError(code, message, { hint });
}

const list = (keys: readonly string[]) =>
  keys.slice(0, 5).join(', ') + (keys.length > 5 ? ` and ${keys.length - 5} more` : '');

function stopIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new FerryError('E_CANCELLED', 'the migration was stopped: what was moved stays moved', {
      hint: 'run the same migration again to move the rest',
    });
  }
}

interface Plan {
  source: Map<string, Pair>;
  /** keys (service/environment#id) the target holds already, as the same release */
  present: Set<string>;
}

async function plan(from: Store, to: Store, opts: MigrateOptions): Promise<Plan> {
  const source = await everything(from);
  const all = [...source.values()].flatMap((p) => p.releases);
  const running = all.filter((r) => r.outcome === 'running').map((r) => formatKey(keyOf(r)));
  if (running.length && !opts.includeRunning) {
    throw conflict(
      `${running.length} release(s) are still running in the source: ${list(running)}`,
      'wait for the deploys to end (a release whose process died is marked interrupted when its lease is taken over), or move them as they are',
      'E_MIGRATE_RUNNING',
    );
  }
  // what the target holds: the source's pairs (an environment it cannot place fails here) and its own
  const target = await everything(to);
  for (const [key, p] of source) {
    if (!target.has(key))
      target.set(key, { ...p, releases: await pairHistory(to, p.service, p.environment) });
  }
  const held = new Map([...target.values()].flatMap((p) => p.releases).map((r) => [formatKey(keyOf(r)), r]));
  const present = new Set<string>();
  const clashes: string[] = [];
  for (const r of all) {
    const k = formatKey(keyOf(r));
    const there = held.get(k);
    if (!there) continue;
    if (sameRelease(r, there)) present.add(k);
    else clashes.push(k);
  }
  if (clashes.length) {
    throw conflict(
      `the target holds other releases under the keys of ${clashes.length} source release(s): ${list(clashes)}`,
      'migrate into an empty store, or remove those releases from the target first',
    );
  }
  if (ONE_ID_SEQUENCE.has(to.kind)) {
    const byId = new Map<number, string>();
    const shared: string[] = [];
    for (const r of [...all, ...held.values()]) {
      const k = formatKey(keyOf(r));
      const other = byId.get(r.id);
      if (other !== undefined && other !== k) shared.push(`${other} and ${k}`);
      byId.set(r.id, k);
    }
    if (shared.length) {
      throw conflict(
        `the ${to.kind} store numbers releases in one sequence across services, and these share an id: ${list(shared)}`,
        'keep this history in a store that numbers releases per service and environment (the cluster store)',
      );
    }
  }
  return { source, present };
}

const auditKey = (e: AuditEntry) =>
  JSON.stringify([e.at, e.actor, e.action, e.service, e.environment, e.releaseId ?? null, e.detail]);

/** Appends the entries of `source` (oldest first) the target does not hold, each as often as it is missing. */
async function moveAudit(
  source: readonly AuditEntry[],
  to: Store,
  opts: MigrateOptions,
): Promise<MigrateResult['audit']> {
  const held = new Map<string, number>();
  for (const e of await to.auditLog({ limit: ALL })) held.set(auditKey(e), (held.get(auditKey(e)) ?? 0) + 1);
  let moved = 0;
  let present = 0;
  for (const e of source) {
    const k = auditKey(e);
    const n = held.get(k) ?? 0;
    if (n > 0) {
      held.set(k, n - 1);
      present++;
      continue;
    }
    stopIfAborted(opts.signal);
    await to.audit(e);
    moved++;
  }
  opts.onProgress?.({ type: 'audit', moved, present });
  return { total: source.length, moved, present };
}

export async function migrateHistory(
  from: Store,
  to: Store,
  opts: MigrateOptions = {},
): Promise<MigrateResult> {
  const { source, present } = await plan(from, to, opts);
  const total = [...source.values()].reduce((n, p) => n + p.releases.length, 0);
  const audit = (await from.auditLog({ limit: ALL })).reverse();
  // an environment of the audit the target cannot place fails here too, before anything is written
  for (const environment of new Set(audit.map((e) => e.environment)))
    await to.auditLog({ environment, limit: 1 });
  opts.onProgress?.({
    type: 'planned',
    pairs: source.size,
    releases: total,
    present: present.size,
    audit: audit.length,
  });
  const pairs: PairResult[] = [];
  for (const { service, environment, releases } of source.values()) {
    const result: PairResult = { service, environment, releases: releases.length, moved: 0, present: 0 };
    for (const summary of releases) {
      const key = keyOf(summary);
      if (present.has(formatKey(key))) {
        result.present++;
        continue;
      }
      stopIfAborted(opts.signal);
      const { steps, ...release } = await from.release(key);
      await to.importRelease(release, steps);
      result.moved++;
    }
    pairs.push(result);
    opts.onProgress?.({ type: 'pair', service, environment, moved: result.moved, present: result.present });
  }
  const audited = await moveAudit(audit, to, opts);
  const moved = pairs.reduce((n, p) => n + p.moved, 0);
  return { pairs, releases: { total, moved, present: total - moved }, audit: audited };
}
