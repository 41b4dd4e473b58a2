// `ferry cutover`: the runbook of one environment's move from the old platform, as an engine
// action. It is recorded like a release (kind `cutover`, under the plan's name): who started it,
// when, every step attempt with its outcome. A lease keeps two processes from driving it at once;
// it is not attached to the record, so a killed process leaves the record running and `next`
// (after the lease is taken over) marks the dead attempt interrupted and runs that step again.
import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import type { Cluster } from '../../cluster/types.ts';
import { FerryError } from '../../errors.ts';
import type { LoadedApp } from '../../manifest/load.ts';
import { resolveCutover, type CutoverPlan } from '../../model/cutover.ts';
import { driverCaveats } from '../../render/cutover/caveats.ts';
import { renderCutover, type CutoverObject, type TrafficState } from '../../render/cutover/index.ts';
import type { Store } from '../../store/store.ts';
import { keyOf, type Release, type ReleaseKey, type ReleaseSummary, type Step } from '../../store/types.ts';
import type { Engine } from '../config.ts';
import type { RunContext } from '../context.ts';
import { DeployLock, defaultLeaseMs, leaseKey } from '../lock.ts';
import { LockLostError } from '../errors.ts';
import { provablyDead } from '../process-owner.ts';
import { applyState, executeStep, StepFailed, type StepContext } from './execute.ts';
import { ABORTED_STATE, describeStep, position, stateBefore, stepName, type Position } from './machine.ts';
import { certificate, dnsTtl, forwardedFor, type Pitfall } from './pitfalls.ts';
import { cutoverView, type CutoverView } from './view.ts';

export interface CutoverRequest {
  /** the person confirmed the first step on the way that waits for a confirmation */
  confirmed?: boolean;
  leaseMs?: number;
}

export interface CutoverPlanView extends CutoverView {
  /** the objects of each traffic state the runbook goes through, in order */
  states: { after: string; traffic: TrafficState; objects: CutoverObject[] }[];
}

export class Cutover {
  readonly plan: CutoverPlan;
  private readonly engine: Engine;
  private readonly cwd: string;

  constructor(engine: Engine, app: LoadedApp, environment: string) {
    this.engine = engine;
    this.plan = resolveCutover(app, environment);
    this.cwd = app.platform.file ? dirname(app.platform.file) : process.cwd();
  }

  private cluster(): Promise<Cluster> {
    return this.engine.clusterFor(this.plan.environment.context);
  }

  private digest(): string {
    return createHash('sha256').update(JSON.stringify(this.plan)).digest('hex');
  }

  /** The current record: the newest of this cut-over, when there is one. */
  private async current(
    store: Store,
  ): Promise<{ release: ReleaseSummary | undefined; records: Step[]; live: boolean }> {
    const release = await store.latest(this.plan.name, this.plan.environment.name);
    if (!release) return { release, records: [], live: false };
    const records = await store.steps(keyOf(release));
    const lease = await store.lease(leaseKey(this.plan.name, this.plan.environment.name));
    const live = !!lease && lease.expiresAt > this.engine.now() && !provablyDead(lease.owner);
    return { release, records, live };
  }

  private pos(c: { release: ReleaseSummary | undefined; records: Step[]; live: boolean }): Position {
    return position(this.plan.steps, c.release?.outcome, c.records, c.live);
  }

  async status(): Promise<CutoverView> {
    const store = await this.engine.store();
    const c = await this.current(store);
    return cutoverView(this.plan, c.release, this.pos(c), c.records, { caveats: driverCaveats(this.plan) });
  }

  /** What the runbook will do, with the pitfall checks run now. Touches nothing. */
  async preview(run: RunContext): Promise<CutoverPlanView> {
    const cluster = await this.cluster();
    const pitfalls: Pitfall[] = [
      await forwardedFor(this.plan, run.signal),
      await certificate(this.plan, cluster),
      await dnsTtl(this.plan),
    ];
    const view = cutoverView(this.plan, undefined, position(this.plan.steps, undefined, [], false), [], {
      pitfalls,
      caveats: driverCaveats(this.plan),
    });
    const states: CutoverPlanView['states'] = [];
    let last = '';
    this.plan.steps.forEach((s, i) => {
      const traffic = stateBefore(this.plan.steps, i + 1);
      const key = JSON.stringify(traffic);
      if (key === last) return;
      last = key;
      states.push({ after: describeStep(s), traffic, objects: renderCutover(this.plan, traffic) });
    });
    return { ...view, states };
  }

  async start(req: CutoverRequest, outer: RunContext): Promise<CutoverView> {
    return this.holding(req, outer, async (store, run) => {
      const c = await this.current(store);
      if (c.release?.outcome === 'running')
        throw new FerryError(
          'E_CUTOVER_STATE',
          `cut-over ${this.plan.name} #${c.release.id} in ${this.plan.environment.name} is in progress, started by ${c.release.actor}`,
          {
            hint: 'continue it, or abort it first',
          },
        );
      const release = await store.startRelease({
        service: this.plan.name,
        environment: this.plan.environment.name,
        namespace: this.plan.environment.namespace,
        version: this.plan.driver,
        manifestDigest: this.digest(),
        kind: 'cutover',
        sourceRelease: undefined,
        actor: run.actor,
        objects: renderCutover(this.plan, { maintenance: false, weight: 100 }),
        migrateDown: undefined,
        verification: { jobs: [], http: [], observeSeconds: 0 },
        source: {},
        startedAt: this.engine.now(),
      });
      await this.audit(
        store,
        run,
        'cutover.start',
        release.id,
        `${this.plan.steps.length} steps, driver ${this.plan.driver}`,
      );
      run.onEvent({
        type: 'release',
        releaseId: release.id,
        service: this.plan.name,
        environment: this.plan.environment.name,
        version: this.plan.driver,
        kind: 'cutover',
      });
      return await this.drive(store, release, req, run);
    });
  }

  async next(req: CutoverRequest, outer: RunContext): Promise<CutoverView> {
    return this.holding(req, outer, async (store, run) => {
      const release = await this.running(store);
      await this.audit(store, run, 'cutover.next', release.id, req.confirmed ? 'confirmed' : '');
      return await this.drive(store, release, req, run);
    });
  }

  /** Puts every moved host back on the old platform with maintenance off, and ends the record cancelled. */
  async abort(req: CutoverRequest, outer: RunContext): Promise<CutoverView> {
    return this.holding(req, outer, async (store, run) => {
      const release = await this.running(store);
      const key = keyOf(release);
      await this.closeOrphans(store, key);
      const cluster = await this.cluster();
      const step = await store.startStep(key, 'abort', this.engine.now());
      this.event(run, release.id, 'abort', 'start');
      let n: number;
      try {
        n = await applyState(this.plan, cluster, ABORTED_STATE);
      } catch (e) {
        const m = e instanceof Error ? e.message : String(e);
        await store.endStep(key, step, 'failed', m, this.engine.now());
        throw e;
      }
      const message = `all traffic back on the old platform, maintenance off (${n} objects applied) by ${run.actor}`;
      await store.endStep(key, step, 'succeeded', message, this.engine.now());
      this.event(run, release.id, 'abort', 'succeeded', message, step.startedAt);
      await store.finishRelease(key, 'cancelled', `aborted by ${run.actor}`, this.engine.now());
      await this.audit(store, run, 'cutover.abort', release.id, message);
      const c = await this.current(store);
      return cutoverView(this.plan, c.release, this.pos({ ...c, live: false }), c.records);
    });
  }

  /**
   * Runs `fn` holding the cut-over's lease. When the lease is lost (this process stalled past its
   * expiry and another took it over), the run's signal aborts with E_LOCK_LOST: the step under way
   * stops, and nothing more is written to a record another process now drives.
   */
  private async holding<T>(
    req: CutoverRequest,
    outer: RunContext,
    fn: (store: Store, run: RunContext) => Promise<T>,
  ): Promise<T> {
    const store = await this.engine.store();
    const inner = new AbortController();
    const onOuter = () => inner.abort(outer.signal.reason);
    outer.signal.addEventListener('abort', onOuter, { once: true });
    if (outer.signal.aborted) onOuter();
    const key = leaseKey(this.plan.name, this.plan.environment.name);
    try {
      const lock = await DeployLock.acquire(
        store,
        { service: this.plan.name, environment: this.plan.environment.name },
        outer.actor,
        {
          ttlMs: req.leaseMs ?? defaultLeaseMs(this.engine.env),
          waitMs: 0,
          now: this.engine.now,
          log: this.engine.log,
          // a killed runbook's record stays running: `next` resumes it from its steps
          resumes: true,
          onLost: () => inner.abort(new LockLostError(key)),
        },
      );
      try {
        return await fn(store, { ...outer, signal: inner.signal });
      } catch (e) {
        if (inner.signal.reason instanceof LockLostError) throw inner.signal.reason;
        throw e;
      } finally {
        await lock.release();
      }
    } finally {
      outer.signal.removeEventListener('abort', onOuter);
    }
  }

  private async running(store: Store): Promise<ReleaseSummary> {
    const latest = await store.latest(this.plan.name, this.plan.environment.name);
    if (latest?.outcome !== 'running')
      throw new FerryError(
        'E_CUTOVER_STATE',
        latest
          ? `cut-over ${this.plan.name} #${latest.id} in ${this.plan.environment.name} has ended (${latest.outcome === 'cancelled' ? 'aborted' : latest.outcome})`
          : `no cut-over ${this.plan.name} has been started in ${this.plan.environment.name}`,
        { hint: 'start one' },
      );
    return latest;
  }

  /** Attempts a killed process left running: interrupted (their step runs again). */
  private async closeOrphans(store: Store, key: ReleaseKey): Promise<void> {
    for (const s of await store.steps(key))
      if (s.outcome === 'running')
        await store.endStep(key, s, 'interrupted', 'the process running it stopped', this.engine.now());
  }

  private async drive(
    store: Store,
    release: Release | ReleaseSummary,
    req: CutoverRequest,
    run: RunContext,
  ): Promise<CutoverView> {
    const key = keyOf(release);
    await this.closeOrphans(store, key);
    const cluster = await this.cluster();
    let confirmed = req.confirmed === true;
    for (;;) {
      const c = await this.current(store);
      const pos = this.pos({ ...c, live: false });
      const s = this.plan.steps[pos.next];
      if (!s) {
        await store.finishRelease(
          key,
          'succeeded',
          `${this.plan.steps.length} steps done`,
          this.engine.now(),
        );
        const done = await this.current(store);
        return cutoverView(this.plan, done.release, this.pos({ ...done, live: false }), done.records);
      }
      const asks = (s.kind === 'drain' || s.kind === 'run') && s.action.confirm !== undefined;
      if (asks && !confirmed) {
        throw new FerryError(
          'E_CUTOVER_CONFIRM',
          `step ${pos.next + 1} waits for a confirmation: ${s.action.confirm}`,
          {
            hint: 'confirm it to continue',
          },
        );
      }
      if (run.signal.reason instanceof LockLostError) throw run.signal.reason;
      if (run.signal.aborted) throw new FerryError('E_CANCELLED', `stopped before step ${pos.next + 1}`);
      const name = stepName(s);
      const step = await store.startStep(key, name, this.engine.now());
      this.event(run, key.id, name, 'start');
      const ctx: StepContext = {
        plan: this.plan,
        cluster,
        cwd: this.cwd,
        signal: run.signal,
        progress: (message) =>
          run.onEvent({
            type: 'step-progress',
            releaseId: key.id,
            service: this.plan.name,
            environment: this.plan.environment.name,
            step: name,
            message,
          }),
        revert: async (to, why) => {
          const r = await store.startStep(key, 'revert', this.engine.now());
          this.event(run, key.id, 'revert', 'start');
          const n = await applyState(this.plan, cluster, to);
          const m = `weight back to ${to.weight} % (${n} objects applied): ${why}`;
          await store.endStep(key, r, 'succeeded', m, this.engine.now());
          this.event(run, key.id, 'revert', 'succeeded', m, r.startedAt);
        },
      };
      try {
        const message = await executeStep(s, pos.state, ctx, asks ? run.actor : undefined);
        const m = `${describeStep(s)}: ${message} (by ${run.actor})`;
        await store.endStep(key, step, 'succeeded', m, this.engine.now());
        this.event(run, key.id, name, 'succeeded', m, step.startedAt);
        // a confirmation is for the first step that asks for one in this run
        if (asks) confirmed = false;
      } catch (e) {
        // another process holds the record now: it marks this attempt interrupted, not us
        if (run.signal.reason instanceof LockLostError) throw run.signal.reason;
        const cancelled = run.signal.aborted && !(e instanceof StepFailed);
        const m = `${describeStep(s)}: ${cancelled ? 'stopped' : e instanceof Error ? e.message : String(e)}`;
        await store.endStep(key, step, cancelled ? 'cancelled' : 'failed', m, this.engine.now());
        this.event(run, key.id, name, cancelled ? 'cancelled' : 'failed', m, step.startedAt);
        if (cancelled)
          throw new FerryError('E_CANCELLED', `stopped at step ${pos.next + 1} (${describeStep(s)})`, {
            cause: e,
          });
        if (e instanceof FerryError) throw e;
        throw new StepFailed(m);
      }
    }
  }

  private event(
    run: RunContext,
    releaseId: number,
    step: Step['name'],
    outcome: 'start' | 'succeeded' | 'failed' | 'cancelled',
    message = '',
    startedAt?: number,
  ): void {
    const base = { releaseId, service: this.plan.name, environment: this.plan.environment.name, step };
    if (outcome === 'start') run.onEvent({ type: 'step-start', ...base });
    else
      run.onEvent({
        type: 'step-end',
        ...base,
        outcome,
        message,
        ms: startedAt === undefined ? 0 : this.engine.now() - startedAt,
      });
  }

  private async audit(
    store: Store,
    run: RunContext,
    action: string,
    releaseId: number,
    detail: string,
  ): Promise<void> {
    await store.audit({
      at: this.engine.now(),
      actor: run.actor,
      action,
      service: this.plan.name,
      environment: this.plan.environment.name,
      releaseId,
      detail,
    });
  }
}
