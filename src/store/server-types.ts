// The team server's records, beside the releases: API tokens (stored as hashes only), the deploy
// queue (requests, claimed by workers with a fenced lease), approvals, the persisted change
// events an event stream resumes from, and webhook deliveries (deduplicated). Only the SQL
// drivers hold them: the server runs on PostgreSQL (a team) or SQLite (one replica).
import type { ReleaseKey } from './types.ts';

export const ROLES = ['viewer', 'deployer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface TokenRecord {
  /** the public part of the token, shown in lists (`fry_AbCd1234…`) */
  id: string;
  name: string;
  role: Role;
  /** the environments a deployer may act in; empty: every environment that is not protected */
  environments: readonly string[];
  /** sha256 of the whole token, hex */
  hash: string;
  createdAt: number;
  createdBy: string;
  expiresAt: number | undefined;
  revokedAt: number | undefined;
  lastUsedAt: number | undefined;
  lastUsedFrom: string | undefined;
}

export const REQUEST_KINDS = ['deploy', 'rollback', 'promote', 'preview'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

export const REQUEST_STATES = [
  /** waiting for approvals */
  'approval',
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
  /** refused before it ran (a plan or policy problem found by the worker) */
  'rejected',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];
export const FINAL_REQUEST_STATES: readonly RequestState[] = ['succeeded', 'failed', 'cancelled', 'rejected'];

export interface NewRequest {
  kind: RequestKind;
  service: string;
  environment: string;
  /** what the action needs, as the API took it (version, ref, to, migrateDown…) */
  payload: Record<string, unknown>;
  requestedBy: string;
  tokenId: string | undefined;
  /** approvals still needed before it may run */
  approvalsNeeded: number;
  createdAt: number;
}

export interface QueuedRequest extends NewRequest {
  id: number;
  state: RequestState;
  startedAt: number | undefined;
  endedAt: number | undefined;
  message: string;
  /** the release it made (the last attempt's) */
  release: ReleaseKey | undefined;
  attempt: number;
  cancelRequested: boolean;
  leaseOwner: string | undefined;
  /** grows by one at every claim: a worker writes only while the generation is still its own */
  leaseGeneration: number;
  leaseExpiresAt: number | undefined;
  approvedBy: readonly string[];
  /** the batch it belongs to (a multi-target deploy): the id of the batch's first request */
  batch: number | undefined;
  /** the requests of its batch it waits for: it runs only once all of them succeeded */
  waitsFor: readonly number[];
  /**
   * Set when it ended without starting because another request of its batch did not succeed:
   * `dependency` — it waits for that one (directly or through others); `stopped` — nothing new
   * of the batch starts after a failure.
   */
  notStarted: { reason: 'dependency' | 'stopped'; blockedBy: number } | undefined;
}

/** A multi-target deploy queued as one batch (ServerStoreDriver.insertBatch). */
export interface NewBatch {
  /** the requests in an order they may start in: each waits only for requests before it */
  requests: readonly NewRequest[];
  /** for each request, the indices (into `requests`, all smaller than its own) it waits for */
  waits: readonly (readonly number[])[];
  /** at most this many of the batch run at once */
  parallel: number;
}

/** A claim on a request: whoever holds it, with the generation it must present on every write. */
export interface RequestClaim {
  id: number;
  owner: string;
  generation: number;
}

export interface PersistedEvent {
  /** increasing over the whole store: the event stream's id */
  seq: number;
  at: number;
  type: string;
  data: Record<string, unknown>;
}

export interface AuditRecord {
  at: number;
  actor: string;
  /** the token used, by its public id */
  token: string | undefined;
  /** what was done: `POST /api/v1/deploys`, `webhook github pull_request` */
  action: string;
  service: string;
  environment: string;
  releaseId: number | undefined;
  detail: string;
  /** the client's address */
  source: string | undefined;
  /** an HTTP status, or ok/refused */
  result: string | undefined;
}

export interface RequestQuery {
  state?: RequestState;
  service?: string;
  environment?: string;
  /** the requests of one batch */
  batch?: number;
  beforeId?: number;
  limit?: number;
}

export const PREVIEW_STATES = [
  /** waiting for a version (the image of the head commit) */
  'waiting',
  'deploying',
  'ready',
  'failed',
  /** not made: over the maximum count, or a fork without the opt-in label */
  'refused',
] as const;
export type PreviewState = (typeof PREVIEW_STATES)[number];

/** One pull request's preview, as the server keeps it between webhooks. */
export interface PreviewRecord {
  number: number;
  /** owner/name of the base repository */
  repository: string;
  branch: string;
  headSha: string;
  fork: boolean;
  labels: readonly string[];
  /** the derived environment's name (pr-<number>) */
  environment: string;
  namespace: string;
  /** ferry created the namespace (and labelled it): only then does teardown delete it */
  createdNamespace: boolean;
  domain: string | undefined;
  /** the version deployed last, or being deployed */
  version: string | undefined;
  state: PreviewState;
  message: string;
  /** the one PR comment ferry edits on each update */
  commentId: number | undefined;
  /** the GitHub Deployment of the preview */
  deploymentId: number | undefined;
  /** the image repositories a registry pushed `version` of, while the preview waits for it */
  pushed?: { version: string; repositories: string[] };
  createdAt: number;
  /** the last webhook or deploy: the TTL counts from here */
  updatedAt: number;
}

/** A driver that also holds the server's records (the SQL drivers). */
export interface WithServerRecords {
  server(): ServerStoreDriver;
}

/** What the server's records need from a driver (SQL only). Every method is atomic on its own. */
export interface ServerStoreDriver {
  insertToken(t: TokenRecord): Promise<void>;
  tokenByHash(hash: string): Promise<TokenRecord | undefined>;
  listTokens(): Promise<TokenRecord[]>;
  revokeToken(id: string, at: number): Promise<boolean>;
  touchToken(id: string, at: number, from: string | undefined): Promise<void>;

  insertRequest(r: NewRequest): Promise<QueuedRequest>;
  /**
   * Inserts `r` unless an unfinished request with the same coalescing key exists, atomically
   * across connections and replicas; answers the request that holds the key.
   */
  insertRequestOnce(r: NewRequest, key: string): Promise<{ request: QueuedRequest; inserted: boolean }>;
  /**
   * Inserts a batch at once (all or nothing) and answers its requests in the order given; ids
   * grow in that order, so a request only ever waits for older ones.
   */
  insertBatch(b: NewBatch): Promise<QueuedRequest[]>;
  getRequest(id: number): Promise<QueuedRequest | undefined>;
  listRequests(q: RequestQuery): Promise<QueuedRequest[]>;
  /** one approval of a request by `by`; the request turns queued once none are needed */
  approveRequest(id: number, by: string, at: number): Promise<QueuedRequest | undefined>;
  /**
   * Claims the oldest runnable request — queued, or running with an expired lease (its worker
   * died) — whose (service, environment) has nothing older unfinished or running: one pair runs
   * one at a time, in order. A request of a batch is claimed only once every request it waits for
   * has succeeded, and while fewer than the batch's `parallel` run. Returns the claimed request
   * with the new generation.
   */
  claimRequest(owner: string, ttlMs: number, now: number): Promise<QueuedRequest | undefined>;
  /** extends the claim; false when the generation is no longer the holder's (fenced out) */
  renewClaim(c: RequestClaim, ttlMs: number, now: number): Promise<boolean>;
  /** records the release a claimed request made; false when fenced out */
  setRequestRelease(c: RequestClaim, release: ReleaseKey): Promise<boolean>;
  /**
   * Ends a claimed request; false when fenced out (someone else owns it now). In the same
   * transaction, when it did not succeed, every request of its batch not yet started ends
   * `cancelled` with `notStarted` set: a failure starts nothing new.
   */
  finishRequest(c: RequestClaim, state: RequestState, message: string, at: number): Promise<boolean>;
  /**
   * A queued or approval-held request ends cancelled at once (and the rest of its batch not yet
   * started with it, as finishRequest does); a running one is asked to stop.
   */
  cancelRequest(id: number, at: number): Promise<QueuedRequest | undefined>;
  /** drops a claim without ending the request (graceful shutdown: another replica takes it) */
  releaseClaim(c: RequestClaim): Promise<void>;

  appendEvent(type: string, data: Record<string, unknown>, at: number): Promise<number>;
  eventsAfter(seq: number, limit: number): Promise<PersistedEvent[]>;
  lastEventSeq(): Promise<number>;
  pruneEvents(before: number): Promise<number>;

  appendAuditRecord(e: AuditRecord): Promise<void>;
  listAuditRecords(q: {
    actor?: string;
    service?: string;
    beforeAt?: number;
    limit?: number;
  }): Promise<AuditRecord[]>;

  /** true when the delivery was new (recorded now), false when it was seen before */
  recordDelivery(source: string, id: string, event: string, at: number): Promise<boolean>;

  /** writes a preview (a new one, or the whole record of an existing one) */
  putPreview(p: PreviewRecord): Promise<void>;
  getPreview(number: number): Promise<PreviewRecord | undefined>;
  /** every preview, by number */
  listPreviews(): Promise<PreviewRecord[]>;
  /** true when there was one */
  deletePreview(number: number): Promise<boolean>;
}
