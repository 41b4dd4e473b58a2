// The store's records and its narrow driver interface. Drivers (SQLite, PostgreSQL, Kubernetes)
// only persist and query; domain rules (history, the last successful release, retention, takeover
// of expired leases, change events) live above them in store.ts, the only door to state.

/** How a release ended. `running` is the only non-final state. */
export const RELEASE_OUTCOMES = ['running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;
export type ReleaseOutcome = (typeof RELEASE_OUTCOMES)[number];
// succeeded: applied, healthy, verified, observed
// failed: a step failed; when objects had been applied the previous release was re-applied
// cancelled: stopped on request (Ctrl-C, SIGTERM, a cancel call); the cluster was brought back
// interrupted: the process died (SIGKILL, crash, lost machine); marked by whoever took over its lease
export type FinalOutcome = Exclude<ReleaseOutcome, 'running'>;

/** What made a release: every kind is defined here once. */
export const RELEASE_KINDS = ['deploy', 'rollback', 'promote', 'preview', 'cutover'] as const;
export type ReleaseKind = (typeof RELEASE_KINDS)[number];

/** The steps a release can record, in the order they run. */
export const STEP_NAMES = [
  'plan',
  'lock',
  'preflight',
  'provision',
  'migrate',
  'migrate-down',
  'apply',
  'track',
  'schedule',
  'verify',
  'observe',
  'revert',
  'notify',
  // a cut-over's runbook (engine/cutover): its steps, and abort
  'maintenance',
  'drain',
  'user-step',
  'services',
  'weight',
  'abort',
] as const;
export type StepName = (typeof STEP_NAMES)[number];

export const STEP_OUTCOMES = [
  'running',
  'succeeded',
  'failed',
  'skipped',
  'cancelled',
  'interrupted',
] as const;
export type StepOutcome = (typeof STEP_OUTCOMES)[number];
export type FinalStepOutcome = Exclude<StepOutcome, 'running'>;

/** A JSON object as the Kubernetes API accepts it; the store keeps it verbatim. */
export interface StoredObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
}

/** An HTTP check of a release (`checks:` with a url). */
export interface StoredHttpCheck {
  name: string;
  url: string;
  expect: number;
  timeoutSeconds: number;
}

/** What verifies a release after its rollout: a rollback that asks for it runs the same again. */
export interface Verification {
  /** check Jobs, in order */
  jobs: readonly StoredObject[];
  http: readonly StoredHttpCheck[];
  /** the observation window of the environment at the time, in seconds (0: none) */
  observeSeconds: number;
}

/** Where the change came from, when known (for DORA figures and links). */
export interface ReleaseSource {
  /** the commit deployed */
  commit?: string;
  /** when the oldest commit of the change was made (ms since the epoch) */
  commitTime?: number;
  /** the pull request and when it was merged */
  pullRequest?: number;
  mergedAt?: number;
  /** the git ref the manifests were read at */
  ref?: string;
}

/** A release's address: ids are unique within a (service, environment) pair. */
export interface ReleaseKey {
  service: string;
  environment: string;
  id: number;
}

export interface NewRelease {
  service: string;
  environment: string;
  namespace: string;
  version: string;
  manifestDigest: string;
  kind: ReleaseKind;
  /** for a rollback or promotion: the release whose objects were applied */
  sourceRelease: ReleaseKey | undefined;
  /** user@host, a token's name, or FERRY_ACTOR */
  actor: string;
  /** the exact apply set, in apply order */
  objects: readonly StoredObject[];
  /** the migration's down Job from this release's image, when declared */
  migrateDown: StoredObject | undefined;
  verification: Verification;
  source: ReleaseSource;
  startedAt: number;
}

/** A release without its object bodies: what lists show. */
export interface ReleaseSummary {
  id: number;
  service: string;
  environment: string;
  namespace: string;
  version: string;
  manifestDigest: string;
  kind: ReleaseKind;
  sourceRelease: ReleaseKey | undefined;
  actor: string;
  source: ReleaseSource;
  outcome: ReleaseOutcome;
  /** why it failed / was cancelled; empty on success */
  message: string;
  startedAt: number;
  endedAt: number | undefined;
}

export interface Release extends ReleaseSummary {
  objects: readonly StoredObject[];
  migrateDown: StoredObject | undefined;
  verification: Verification;
}

export interface Step {
  /** 1-based order within the release */
  seq: number;
  name: StepName;
  outcome: StepOutcome;
  message: string;
  startedAt: number;
  endedAt: number | undefined;
}

/** Who holds a lease, so a holder on the same host whose process is gone can be told dead at once. */
export interface LeaseOwner {
  host: string;
  pid: number;
  /** the process's start, so a reused pid is not taken for the holder */
  processStart: number | undefined;
}

export interface Lease {
  /** `<service>/<environment>` */
  key: string;
  holder: string;
  /** random per acquisition, proves ownership on renew/release */
  token: string;
  /** increases by one at every acquisition: a fencing number */
  generation: number;
  releaseId: number | undefined;
  owner: LeaseOwner | undefined;
  acquiredAt: number;
  expiresAt: number;
}

export interface LeaseRequest {
  key: string;
  holder: string;
  token: string;
  owner: LeaseOwner | undefined;
  ttlMs: number;
  now: number;
}

/** Result of an atomic lease acquisition. */
export type LeaseAcquire =
  | {
      acquired: true;
      lease: Lease;
      /** the lease that was taken over (expired, or its holder provably dead), if any */
      previous: Lease | undefined;
    }
  | { acquired: false; current: Lease };

export interface AuditEntry {
  at: number;
  actor: string;
  action: string;
  service: string;
  environment: string;
  releaseId: number | undefined;
  detail: string;
}

export interface ReleaseQuery {
  service?: string;
  environment?: string;
  outcome?: ReleaseOutcome;
  kind?: ReleaseKind;
  /** only releases with a smaller id (a cursor: the last id of the previous page) */
  beforeId?: number;
  /** newest first; default 50 */
  limit?: number;
}

/** What a storage backend must do. Every method is atomic on its own. */
export interface StoreDriver {
  readonly name: string;
  /** apply pending schema migrations, by id, in order */
  migrate(): Promise<readonly string[]>;
  close(): Promise<void>;

  /** assigns the id: larger than every earlier id of the same (service, environment) */
  insertRelease(r: NewRelease): Promise<Release>;
  /**
   * Stores a release as it is, id included (moving history between drivers). The id must not be
   * taken; later inserts get larger ids.
   */
  importRelease(r: Release, steps: readonly Step[]): Promise<void>;
  /** running → a final outcome, once; returns false when the release was already final */
  finishRelease(key: ReleaseKey, outcome: FinalOutcome, message: string, endedAt: number): Promise<boolean>;
  getRelease(key: ReleaseKey): Promise<Release | undefined>;
  /** summaries, newest first */
  listReleases(q: ReleaseQuery): Promise<ReleaseSummary[]>;
  /** the newest release matching, with its objects */
  lastRelease(q: {
    service: string;
    environment: string;
    outcome?: ReleaseOutcome;
    beforeId?: number;
  }): Promise<Release | undefined>;
  /** the newest release of every (service, environment) pair, optionally of one environment */
  latestPerPair(q: { environment?: string }): Promise<ReleaseSummary[]>;
  /** every kind any release of (service, environment) applied */
  kindsApplied(service: string, environment: string): Promise<string[]>;
  deleteReleases(keys: readonly ReleaseKey[]): Promise<void>;

  insertStep(key: ReleaseKey, name: StepName, startedAt: number): Promise<Step>;
  finishStep(
    key: ReleaseKey,
    seq: number,
    outcome: FinalStepOutcome,
    message: string,
    endedAt: number,
  ): Promise<void>;
  listSteps(key: ReleaseKey): Promise<Step[]>;

  /** takes the lease when free or expired at `now` (compare-and-set) */
  acquireLease(r: LeaseRequest): Promise<LeaseAcquire>;
  /** takes the lease from the holder of `expectToken` (whose process is gone), compare-and-set */
  takeOverLease(r: LeaseRequest, expectToken: string): Promise<LeaseAcquire>;
  /** extends the lease when `token` still holds it; false when it was lost */
  renewLease(key: string, token: string, ttlMs: number, now: number): Promise<boolean>;
  setLeaseRelease(key: string, token: string, releaseId: number): Promise<void>;
  releaseLease(key: string, token: string): Promise<void>;
  getLease(key: string): Promise<Lease | undefined>;

  appendAudit(e: AuditEntry): Promise<void>;
  listAudit(q: { service?: string; environment?: string; limit?: number }): Promise<AuditEntry[]>;
}

export function keyOf(r: { service: string; environment: string; id: number }): ReleaseKey {
  return { service: r.service, environment: r.environment, id: r.id };
}

export function formatKey(k: ReleaseKey): string {
  return `${k.service}/${k.environment}#${k.id}`;
}
