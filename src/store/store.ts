// The store as every other layer sees it — the only door to state. It holds a driver and adds the
// domain rules on top: history, the last successful release (what a revert or rollback re-applies),
// retention that never drops the last successful release, taking over a lease whose holder is gone
// (its release becomes `interrupted`), and a change event for every write (the server's live
// stream hangs on them). Nothing outside src/store/ touches a driver.
import { StoreChanges, type StoreListener, type Unnumbered } from './events.ts';
import { ReleaseNotFoundError } from './errors.ts';
import {
  keyOf,
  type AuditEntry,
  type FinalOutcome,
  type FinalStepOutcome,
  type Lease,
  type LeaseAcquire,
  type LeaseRequest,
  type NewRelease,
  type Release,
  type ReleaseKey,
  type ReleaseQuery,
  type ReleaseSummary,
  type Step,
  type StepName,
  type StoreDriver,
} from './types.ts';

export interface ReleaseWithSteps extends Release {
  steps: Step[];
}

export interface SummaryWithSteps extends ReleaseSummary {
  steps: Step[];
}

export interface Page<T> {
  items: T[];
  /** pass as `beforeId` for the next page; undefined on the last page */
  next: number | undefined;
}

/** How many releases of one service in one environment are kept by default. */
export const DEFAULT_HISTORY_LIMIT = 100;

export class Store {
  private readonly driver: StoreDriver;
  private readonly changes = new StoreChanges();

  constructor(driver: StoreDriver) {
    this.driver = driver;
  }

  /** which driver holds the state (sqlite, postgres, kubernetes) */
  get kind(): string {
    return this.driver.name;
  }

  close(): Promise<void> {
    return this.driver.close();
  }

  /** Every change from now on; returns the unsubscribe function. */
  subscribe(listener: StoreListener): () => void {
    return this.changes.subscribe(listener);
  }

  private emit(e: Unnumbered, at: number): void {
    this.changes.emit(e, at);
  }

  // --- reading -----------------------------------------------------------------------------------

  async release(key: ReleaseKey): Promise<ReleaseWithSteps> {
    const r = await this.driver.getRelease(key);
    if (!r) throw new ReleaseNotFoundError(key);
    return { ...r, steps: await this.driver.listSteps(key) };
  }

  async findRelease(key: ReleaseKey): Promise<Release | undefined> {
    return this.driver.getRelease(key);
  }

  steps(key: ReleaseKey): Promise<Step[]> {
    return this.driver.listSteps(key);
  }

  /** Release summaries, newest first, a page at a time. */
  async releases(q: ReleaseQuery): Promise<Page<ReleaseSummary>> {
    const limit = q.limit ?? 50;
    const rows = await this.driver.listReleases({ ...q, limit: limit + 1 });
    const items = rows.slice(0, limit);
    return { items, next: rows.length > limit ? items.at(-1)?.id : undefined };
  }

  /** Releases of one service in one environment, newest first, with their steps. */
  async history(
    service: string,
    environment: string,
    opts: { limit?: number; beforeId?: number } = {},
  ): Promise<SummaryWithSteps[]> {
    const rs = await this.driver.listReleases({
      service,
      environment,
      limit: opts.limit ?? 20,
      ...(opts.beforeId ? { beforeId: opts.beforeId } : {}),
    });
    return Promise.all(rs.map(async (r) => ({ ...r, steps: await this.driver.listSteps(keyOf(r)) })));
  }

  /** The newest succeeded release, optionally older than release id `beforeId`. */
  lastSuccessful(service: string, environment: string, beforeId?: number): Promise<Release | undefined> {
    return this.driver.lastRelease({
      service,
      environment,
      outcome: 'succeeded',
      ...(beforeId !== undefined ? { beforeId } : {}),
    });
  }

  /** The newest release of (service, environment), whatever its outcome. */
  async latest(service: string, environment: string): Promise<ReleaseSummary | undefined> {
    return (await this.driver.listReleases({ service, environment, limit: 1 }))[0];
  }

  /** Kinds of every object any release of (service, environment) applied: what pruning must look at. */
  async kindsApplied(service: string, environment: string): Promise<Set<string>> {
    return new Set(await this.driver.kindsApplied(service, environment));
  }

  /** The newest release of every service/environment pair, sorted by service then environment. */
  latestPerService(environment?: string): Promise<ReleaseSummary[]> {
    return this.driver.latestPerPair(environment ? { environment } : {});
  }

  // --- writing a release ---------------------------------------------------------------------------

  async startRelease(r: NewRelease): Promise<Release> {
    const release = await this.driver.insertRelease(r);
    this.emit({ type: 'release.started', release: summaryOf(release) }, r.startedAt);
    return release;
  }

  /** running → a final outcome; false when it had ended already (someone marked it interrupted). */
  async finishRelease(
    key: ReleaseKey,
    outcome: FinalOutcome,
    message: string,
    now: number,
  ): Promise<boolean> {
    const done = await this.driver.finishRelease(key, outcome, message, now);
    if (done) {
      const r = await this.driver.getRelease(key);
      if (r) this.emit({ type: 'release.finished', release: summaryOf(r) }, now);
    }
    return done;
  }

  async startStep(key: ReleaseKey, name: StepName, startedAt: number): Promise<Step> {
    const step = await this.driver.insertStep(key, name, startedAt);
    this.emit({ type: 'step.started', key, step }, startedAt);
    return step;
  }

  async endStep(
    key: ReleaseKey,
    step: Step,
    outcome: FinalStepOutcome,
    message: string,
    endedAt: number,
  ): Promise<Step> {
    await this.driver.finishStep(key, step.seq, outcome, message, endedAt);
    const ended: Step = { ...step, outcome, message, endedAt };
    this.emit({ type: 'step.ended', key, step: ended }, endedAt);
    return ended;
  }

  /** A live progress line of a running step ("2/4 ready"): an event, not stored. */
  progress(key: ReleaseKey, step: Step, message: string, at: number): void {
    this.emit({ type: 'step.progress', key, step: { ...step, message } }, at);
  }

  /**
   * Marks a release whose process died as interrupted, with its running steps. Used when a lease
   * is taken over. Returns false when the release had already ended.
   */
  async markInterrupted(key: ReleaseKey, by: string, now: number): Promise<boolean> {
    for (const s of await this.driver.listSteps(key)) {
      if (s.outcome === 'running') await this.endStep(key, s, 'interrupted', `taken over by ${by}`, now);
    }
    return this.finishRelease(
      key,
      'interrupted',
      `the deploy process stopped; lease taken over by ${by}`,
      now,
    );
  }

  /**
   * Keeps the newest `keep` releases of (service, environment) and deletes older ones — never the
   * last successful one (a rollback target) nor one still running. Returns how many were deleted.
   */
  async retain(service: string, environment: string, keep: number = DEFAULT_HISTORY_LIMIT): Promise<number> {
    const old = await this.driver.listReleases({ service, environment, limit: 1000 });
    if (old.length <= keep) return 0;
    const lastOk = old.find((r) => r.outcome === 'succeeded');
    const drop = old
      .slice(keep)
      .filter((r) => r.outcome !== 'running' && r.id !== lastOk?.id)
      .map(keyOf);
    await this.driver.deleteReleases(drop);
    return drop.length;
  }

  /** Moves a release from another store as it is (`ferry store migrate`). */
  importRelease(r: Release, steps: readonly Step[]): Promise<void> {
    return this.driver.importRelease(r, steps);
  }

  // --- leases --------------------------------------------------------------------------------------

  acquireLease(r: LeaseRequest): Promise<LeaseAcquire> {
    return this.driver.acquireLease(r);
  }

  takeOverLease(r: LeaseRequest, expectToken: string): Promise<LeaseAcquire> {
    return this.driver.takeOverLease(r, expectToken);
  }

  renewLease(key: string, token: string, ttlMs: number, now: number): Promise<boolean> {
    return this.driver.renewLease(key, token, ttlMs, now);
  }

  attachLease(key: string, token: string, releaseId: number): Promise<void> {
    return this.driver.setLeaseRelease(key, token, releaseId);
  }

  releaseLease(key: string, token: string): Promise<void> {
    return this.driver.releaseLease(key, token);
  }

  lease(key: string): Promise<Lease | undefined> {
    return this.driver.getLease(key);
  }

  // --- audit ---------------------------------------------------------------------------------------

  async audit(e: AuditEntry): Promise<void> {
    await this.driver.appendAudit(e);
    this.emit({ type: 'audit', entry: e }, e.at);
  }

  auditLog(q: { service?: string; environment?: string; limit?: number } = {}): Promise<AuditEntry[]> {
    return this.driver.listAudit(q);
  }
}

export function summaryOf(r: Release | ReleaseSummary): ReleaseSummary {
  return {
    id: r.id,
    service: r.service,
    environment: r.environment,
    namespace: r.namespace,
    version: r.version,
    manifestDigest: r.manifestDigest,
    kind: r.kind,
    sourceRelease: r.sourceRelease,
    actor: r.actor,
    source: r.source,
    outcome: r.outcome,
    message: r.message,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
  };
}
