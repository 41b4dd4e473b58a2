// What the history says about auto-deploy for one service in one environment: whether it is
// paused (the newest finished release is a rollback, or a deploy that failed and was reverted)
// and by what version; which versions failed there (never tried again); and whether someone
// resumed it — a resume is an audit entry naming the release that paused it, so it needs no
// table of its own and works on every store (SQLite, PostgreSQL, Kubernetes).
import type { Store } from '../../store/store.ts';
import type { ReleaseSummary } from '../../store/types.ts';
import { splitVersion, type PushedImage } from './policy.ts';

export const RESUME_ACTION = 'autodeploy.resume';
/** how far back the history is read for failed versions */
const HISTORY_WINDOW = 200;

export interface Pause {
  /** the release that paused it */
  release: number;
  /** the version it must move past: the one rolled back from, or the one that failed */
  badVersion: string;
  reason: string;
  at: number;
}

export interface AutoDeployState {
  /** the version running (the last successful release), if any */
  current: string | undefined;
  pause: Pause | undefined;
  /** failed versions, each with the release that failed */
  failed: ReadonlyMap<string, number>;
}

async function recent(store: Store, service: string, environment: string): Promise<ReleaseSummary[]> {
  const out: ReleaseSummary[] = [];
  let beforeId: number | undefined;
  while (out.length < HISTORY_WINDOW) {
    const page = await store.releases({
      service,
      environment,
      limit: 100,
      ...(beforeId ? { beforeId } : {}),
    });
    out.push(...page.items);
    if (page.next === undefined) break;
    beforeId = page.next;
  }
  return out;
}

function pauseOf(rs: readonly ReleaseSummary[]): Pause | undefined {
  const i = rs.findIndex((r) => r.outcome !== 'running' && r.outcome !== 'cancelled');
  const r = rs[i];
  if (!r) return undefined;
  const at = r.endedAt ?? r.startedAt;
  if (r.kind === 'rollback') {
    // what it rolled back from: the newest successful release before it
    const left = rs.slice(i + 1).find((x) => x.outcome === 'succeeded');
    const badVersion = left?.version ?? r.version;
    return {
      release: r.id,
      badVersion,
      reason: `rolled back from ${badVersion} by ${r.actor} (release ${r.id})`,
      at,
    };
  }
  if (r.outcome === 'failed' || r.outcome === 'interrupted')
    return {
      release: r.id,
      badVersion: r.version,
      reason: `release ${r.id} of ${r.version} ${r.outcome}${r.message ? `: ${r.message}` : ''}`,
      at,
    };
  return undefined;
}

export async function autoDeployState(
  store: Store,
  service: string,
  environment: string,
): Promise<AutoDeployState> {
  const rs = await recent(store, service, environment);
  const current = rs.find((r) => r.outcome === 'succeeded')?.version;
  const failed = new Map<string, number>();
  for (const r of rs)
    if (
      (r.outcome === 'failed' || r.outcome === 'interrupted') &&
      r.kind !== 'rollback' &&
      !failed.has(r.version)
    )
      failed.set(r.version, r.id);
  let pause = pauseOf(rs);
  if (pause) {
    const p = pause;
    const log = await store.auditLog({ service, environment, limit: 200 });
    if (log.some((e) => e.action === RESUME_ACTION && e.releaseId === p.release)) pause = undefined;
  }
  return { current, pause, failed };
}

/** The release a failed version was, when `version` (or its tag alone, when unpinned) failed. */
export function failedBefore(state: AutoDeployState, version: string): number | undefined {
  return state.failed.get(version) ?? state.failed.get(splitVersion(version).tag);
}

export function badImage(p: Pause): PushedImage {
  return splitVersion(p.badVersion);
}
