// The store's records and its narrow driver interface. Drivers (SQLite today, PostgreSQL for a
// team server later) only persist and query; domain rules (history, last successful release,
// takeover of expired leases) live above them in store.ts.

/** How a release ended. `running` is the only non-final state. */
export type ReleaseOutcome =
  | 'running'
  /** applied, healthy, verified, observed */
  | 'succeeded'
  /** a step failed; when objects had been applied the previous release was re-applied (`reverted` step) */
  | 'failed'
  /** stopped by the user (Ctrl-C); the cluster was brought back to the previous release */
  | 'cancelled'
  /** the process died (SIGKILL, crash, lost machine); marked by the next deploy that took over its lease */
  | 'interrupted';

export const finalOutcomes: readonly ReleaseOutcome[] = ['succeeded', 'failed', 'cancelled', 'interrupted'];

export type ReleaseKind = 'deploy' | 'rollback';

/** A JSON object as the Kubernetes API accepts it; the store keeps it verbatim. */
export interface StoredObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
}

export interface NewRelease {
  service: string;
  environment: string;
  namespace: string;
  version: string;
  manifestDigest: string;
  kind: ReleaseKind;
  /** for a rollback: the release whose objects were re-applied */
  sourceRelease: number | undefined;
  /** user@host or FERRY_ACTOR */
  actor: string;
  /** the exact apply set, in apply order */
  objects: readonly StoredObject[];
  /** the migration's down Job from this release's image, when declared */
  migrateDown: StoredObject | undefined;
  startedAt: number;
}

export interface Release extends NewRelease {
  /** increasing per store; doubles as the revision users pass to `rollback --to` */
  id: number;
  outcome: ReleaseOutcome;
  /** why it failed / was cancelled; empty on success */
  message: string;
  endedAt: number | undefined;
}

export type StepOutcome = 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled' | 'interrupted';

export interface Step {
  releaseId: number;
  /** 1-based order within the release */
  seq: number;
  name: string;
  outcome: StepOutcome;
  message: string;
  startedAt: number;
  endedAt: number | undefined;
}

export interface Lease {
  /** `<service>/<environment>` */
  key: string;
  holder: string;
  /** random per acquisition, proves ownership on renew/release */
  token: string;
  releaseId: number | undefined;
  acquiredAt: number;
  expiresAt: number;
}

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
  /** newest first; default 50 */
  limit?: number;
}

/** Result of an atomic lease acquisition. */
export type LeaseAcquire =
  | {
      acquired: true;
      lease: Lease;
      /** the expired lease that was taken over, if any */ previous: Lease | undefined;
    }
  | { acquired: false; current: Lease };

/** What a storage backend must do. Every method is atomic on its own. */
export interface StoreDriver {
  readonly name: string;
  /** apply pending schema migrations, by id, in order */
  migrate(): Promise<readonly string[]>;
  close(): Promise<void>;

  insertRelease(r: NewRelease): Promise<Release>;
  /** running → a final outcome, once; returns false when the release was already final */
  finishRelease(
    id: number,
    outcome: Exclude<ReleaseOutcome, 'running'>,
    message: string,
    endedAt: number,
  ): Promise<boolean>;
  getRelease(id: number): Promise<Release | undefined>;
  queryReleases(q: ReleaseQuery): Promise<Release[]>;

  insertStep(releaseId: number, name: string, startedAt: number): Promise<Step>;
  finishStep(
    releaseId: number,
    seq: number,
    outcome: Exclude<StepOutcome, 'running'>,
    message: string,
    endedAt: number,
  ): Promise<void>;
  listSteps(releaseId: number): Promise<Step[]>;

  /** takes the lease when free or expired at `now` (compare-and-set) */
  acquireLease(key: string, holder: string, token: string, ttlMs: number, now: number): Promise<LeaseAcquire>;
  /** extends the lease when `token` still holds it; false when it was lost */
  renewLease(key: string, token: string, ttlMs: number, now: number): Promise<boolean>;
  setLeaseRelease(key: string, token: string, releaseId: number): Promise<void>;
  releaseLease(key: string, token: string): Promise<void>;
  getLease(key: string): Promise<Lease | undefined>;

  appendAudit(e: AuditEntry): Promise<void>;
  listAudit(q: { service?: string; environment?: string; limit?: number }): Promise<AuditEntry[]>;
}
