// The StoreDriver over Kubernetes: each environment's history lives in the namespace it deploys
// to, in the cluster it deploys to, so everyone who deploys there shares one history and one
// lock with no server, as Helm does. What lives where is in docs/store.md; each record's codec is
// in its own file, ids in history-head.ts, queries in queries.ts, locks in leases.ts.
import { randomBytes } from 'node:crypto';
import type { KObject } from '../../cluster/types.ts';
import { StoreError } from '../errors.ts';
import { kindsOf } from '../sql-rows.ts';
import {
  formatKey,
  type AuditEntry,
  type FinalOutcome,
  type FinalStepOutcome,
  type Lease,
  type LeaseAcquire,
  type LeaseRequest,
  type NewRelease,
  type Release,
  type ReleaseKey,
  type ReleaseOutcome,
  type ReleaseQuery,
  type ReleaseSummary,
  type Step,
  type StepName,
  type StoreDriver,
} from '../types.ts';
import { LastSeen, retryOnConflict } from './cas.ts';
import { isConflict } from './errors.ts';
import { advancePast, allocateId, readHead } from './history-head.ts';
import { Leases } from './leases.ts';
import { recordSelector, releaseName, stepsName } from './names.ts';
import { Places, type Place } from './place.ts';
import type { KubernetesPlacement } from './placement.ts';
import { crossReleases, latestOfPairs, pairReleases } from './queries.ts';
import { auditConfigMap, decodeAudit, decodeSteps, stepsSecret } from './records.ts';
import { decodeRelease, decodeSummary, encodeBody, finishedSecret, releaseSecret } from './release-record.ts';

/** Ids taken by someone else (a head reset by hand, a concurrent import) before giving up. */
const MAX_TAKEN_IDS = 20;

export class KubernetesDriver implements StoreDriver {
  readonly name = 'kubernetes';
  private readonly places: Places;
  private readonly leases: Leases;
  /** the small objects (history heads, steps, Leases) as this driver last wrote or read them */
  private readonly seen = new LastSeen();

  constructor(placement: KubernetesPlacement) {
    this.places = new Places(placement);
    this.leases = new Leases(this.places, this.seen);
  }

  /** Nothing to migrate: the records carry their format in their type (ferry.dev/release.v1). */
  async migrate(): Promise<readonly string[]> {
    return [];
  }

  async close(): Promise<void> {}

  private getSecret(place: Place, name: string): Promise<KObject | undefined> {
    return place.get('v1', 'Secret', name);
  }

  // --- releases ----------------------------------------------------------------------------------

  async insertRelease(r: NewRelease): Promise<Release> {
    const body = encodeBody(r); // before an id is taken: a release too large takes nothing
    const place = this.places.of(r.environment);
    const kinds = kindsOf(r.objects);
    for (let attempt = 0; attempt < MAX_TAKEN_IDS; attempt++) {
      const id = await allocateId(this.seen, place, r.service, r.environment, kinds);
      const release: Release = {
        id,
        service: r.service,
        environment: r.environment,
        namespace: r.namespace,
        version: r.version,
        manifestDigest: r.manifestDigest,
        kind: r.kind,
        sourceRelease: r.sourceRelease,
        actor: r.actor,
        source: r.source,
        outcome: 'running',
        message: '',
        startedAt: r.startedAt,
        endedAt: undefined,
        objects: r.objects,
        migrateDown: r.migrateDown,
        verification: r.verification,
      };
      try {
        await place.create(releaseSecret(release, body));
        return release;
      } catch (e) {
        if (!isConflict(e)) throw e;
      }
    }
    throw new StoreError(
      `no free release id for ${r.service} in ${r.environment} after ${MAX_TAKEN_IDS} tries`,
    );
  }

  /**
   * Writes the steps first and the release Secret last: the release's existence is the commit
   * point, so an import cut short leaves no release, and a second import of it completes.
   */
  async importRelease(r: Release, steps: readonly Step[]): Promise<void> {
    const body = encodeBody(r);
    const place = this.places.of(r.environment);
    const taken = () =>
      new StoreError(`release ${formatKey(r)} exists already: an import never overwrites one`);
    if (await this.getSecret(place, releaseName(r.service, r.environment, r.id))) throw taken();
    await advancePast(this.seen, place, r.service, r.environment, r.id, kindsOf(r.objects));
    await this.changeSteps(r, () => ({ steps: [...steps], result: undefined }));
    try {
      await place.create(releaseSecret(r, body));
    } catch (e) {
      throw isConflict(e) ? taken() : e;
    }
  }

  finishRelease(key: ReleaseKey, outcome: FinalOutcome, message: string, endedAt: number): Promise<boolean> {
    const place = this.places.of(key.environment);
    return retryOnConflict(`release ${formatKey(key)}`, async () => {
      const live = await this.getSecret(place, releaseName(key.service, key.environment, key.id));
      if (!live || decodeSummary(live).outcome !== 'running') return false;
      await place.replace(finishedSecret(live, outcome, message, endedAt));
      return true;
    });
  }

  async getRelease(key: ReleaseKey): Promise<Release | undefined> {
    const live = await this.getSecret(
      this.places.of(key.environment),
      releaseName(key.service, key.environment, key.id),
    );
    if (!live) return undefined;
    const r = decodeRelease(live);
    // a name shortened with a hash could in theory be another pair's: the record says whose it is
    return r.service === key.service && r.environment === key.environment && r.id === key.id ? r : undefined;
  }

  async listReleases(q: ReleaseQuery): Promise<ReleaseSummary[]> {
    const limit = q.limit ?? 50;
    const found =
      q.service !== undefined && q.environment !== undefined
        ? await pairReleases(this.places.of(q.environment), {
            ...q,
            service: q.service,
            environment: q.environment,
            limit,
          })
        : await crossReleases(this.places.readable(q.environment), { ...q, limit });
    return found.map((f) => f.summary);
  }

  async lastRelease(q: {
    service: string;
    environment: string;
    outcome?: ReleaseOutcome;
    beforeId?: number;
  }): Promise<Release | undefined> {
    const [found] = await pairReleases(this.places.of(q.environment), { ...q, limit: 1 });
    return found ? decodeRelease(found.object) : undefined;
  }

  latestPerPair(q: { environment?: string }): Promise<ReleaseSummary[]> {
    return latestOfPairs(this.places.readable(q.environment), q.environment);
  }

  async kindsApplied(service: string, environment: string): Promise<string[]> {
    return (await readHead(this.places.of(environment), service, environment))?.kinds ?? [];
  }

  /** Steps first, so a deletion cut short never leaves steps without their release. */
  async deleteReleases(keys: readonly ReleaseKey[]): Promise<void> {
    for (const k of keys) {
      const place = this.places.of(k.environment);
      await place.delete('v1', 'Secret', stepsName(k.service, k.environment, k.id));
      await place.delete('v1', 'Secret', releaseName(k.service, k.environment, k.id));
    }
  }

  // --- steps -------------------------------------------------------------------------------------

  /** Rewrites the steps of `key` with compare-and-set; `change` may run again on a fresh read. */
  private changeSteps<T>(
    key: ReleaseKey,
    change: (steps: Step[]) => { steps: Step[] | undefined; result: T },
  ): Promise<T> {
    const name = stepsName(key.service, key.environment, key.id);
    return this.places
      .of(key.environment)
      .update(
        this.seen,
        { apiVersion: 'v1', kind: 'Secret', name },
        `the steps of ${formatKey(key)}`,
        (live) => {
          const next = change(decodeSteps(live));
          return { write: next.steps ? stepsSecret(key, next.steps, live) : undefined, result: next.result };
        },
      );
  }

  insertStep(key: ReleaseKey, name: StepName, startedAt: number): Promise<Step> {
    return this.changeSteps(key, (steps) => {
      const step: Step = {
        seq: Math.max(0, ...steps.map((s) => s.seq)) + 1,
        name,
        outcome: 'running',
        message: '',
        startedAt,
        endedAt: undefined,
      };
      return { steps: [...steps, step], result: step };
    });
  }

  async finishStep(
    key: ReleaseKey,
    seq: number,
    outcome: FinalStepOutcome,
    message: string,
    endedAt: number,
  ): Promise<void> {
    await this.changeSteps(key, (steps) => {
      const running = steps.some((s) => s.seq === seq && s.outcome === 'running');
      return {
        steps: running
          ? steps.map((s) => (s.seq === seq ? { ...s, outcome, message, endedAt } : s))
          : undefined,
        result: undefined,
      };
    });
  }

  async listSteps(key: ReleaseKey): Promise<Step[]> {
    return decodeSteps(
      await this.getSecret(this.places.of(key.environment), stepsName(key.service, key.environment, key.id)),
    );
  }

  // --- leases ------------------------------------------------------------------------------------

  acquireLease(r: LeaseRequest): Promise<LeaseAcquire> {
    return this.leases.take(r, (current) => current.expiresAt <= r.now);
  }

  takeOverLease(r: LeaseRequest, expectToken: string): Promise<LeaseAcquire> {
    return this.leases.take(r, (current) => current.token === expectToken || current.expiresAt <= r.now);
  }

  renewLease(key: string, token: string, ttlMs: number, now: number): Promise<boolean> {
    return this.leases.renew(key, token, ttlMs, now);
  }

  setLeaseRelease(key: string, token: string, releaseId: number): Promise<void> {
    return this.leases.attach(key, token, releaseId);
  }

  releaseLease(key: string, token: string): Promise<void> {
    return this.leases.release(key, token);
  }

  getLease(key: string): Promise<Lease | undefined> {
    return this.leases.get(key);
  }

  // --- audit -------------------------------------------------------------------------------------

  async appendAudit(e: AuditEntry): Promise<void> {
    const place = this.places.of(e.environment);
    await retryOnConflict('an audit entry', () =>
      place.create(auditConfigMap(e, randomBytes(4).toString('hex'))),
    );
  }

  /** Newest first by time; entries of one millisecond by name (their order across processes is not known). */
  async listAudit(q: { service?: string; environment?: string; limit?: number }): Promise<AuditEntry[]> {
    const places = this.places.readable(q.environment);
    const lists = await Promise.all(
      places.map((p) =>
        p.list(
          'v1',
          'ConfigMap',
          recordSelector('audit', { service: q.service, environment: q.environment }),
        ),
      ),
    );
    return lists
      .flat()
      .map((o) => ({ name: o.metadata.name, entry: decodeAudit(o) }))
      .filter(
        ({ entry }) =>
          (q.service === undefined || entry.service === q.service) &&
          (q.environment === undefined || entry.environment === q.environment),
      )
      .sort((a, b) => b.entry.at - a.entry.at || b.name.localeCompare(a.name))
      .slice(0, q.limit ?? 100)
      .map((x) => x.entry);
  }
}
