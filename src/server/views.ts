// Records as the API shows them: times as ISO strings, no secrets (a token's hash never leaves).
import type { QueuedRequest, TokenRecord } from '../store/server-types.ts';

const iso = (ms: number | undefined): string | undefined =>
  ms === undefined ? undefined : new Date(ms).toISOString();

export function requestView(r: QueuedRequest) {
  return {
    id: r.id,
    kind: r.kind,
    service: r.service,
    environment: r.environment,
    state: r.state,
    payload: r.payload,
    requestedBy: r.requestedBy,
    createdAt: iso(r.createdAt)!,
    startedAt: iso(r.startedAt),
    endedAt: iso(r.endedAt),
    message: r.message,
    release: r.release,
    attempt: r.attempt,
    approvalsNeeded: r.approvalsNeeded,
    approvedBy: [...r.approvedBy],
    cancelRequested: r.cancelRequested,
    batch: r.batch,
    waitsFor: [...r.waitsFor],
    notStarted: r.notStarted,
  };
}

export function tokenView(t: TokenRecord) {
  return {
    id: t.id,
    name: t.name,
    role: t.role,
    environments: [...t.environments],
    createdAt: iso(t.createdAt)!,
    createdBy: t.createdBy,
    expiresAt: iso(t.expiresAt),
    revokedAt: iso(t.revokedAt),
    lastUsedAt: iso(t.lastUsedAt),
    lastUsedFrom: t.lastUsedFrom,
  };
}
