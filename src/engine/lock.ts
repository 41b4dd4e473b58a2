// The deploy lock: a lease per (service, environment) in the store, with a holder and an expiry,
// renewed by a heartbeat while the deploy runs. A lease whose holder died is taken over by the
// next deploy, which marks the dead holder's release `interrupted` — no release is ever stuck
// "in progress" (Helm's pending-upgrade problem). Expiry proves a holder dead anywhere; on the
// same host a holder whose process is gone is proved dead at once.
import { randomUUID } from 'node:crypto';
import type { Store } from '../store/store.ts';
import type { Lease, LeaseOwner } from '../store/types.ts';
import { LockHeldError } from './errors.ts';
import { silentLogger, type Logger } from './log.ts';
import { provablyDead, thisProcess } from './process-owner.ts';

export interface LockOptions {
  /** lease duration; a killed process elsewhere blocks others at most this long. Default 30 s (FERRY_LEASE_SECONDS) */
  ttlMs: number;
  /** when held by someone else: wait up to this long for it (0 = fail at once) */
  waitMs: number;
  now?: () => number;
  /** called when a renewal fails: the lease was lost */
  onLost?: () => void;
  /** the process holding it; default this one */
  owner?: LeaseOwner;
  log?: Logger;
  /**
   * A takeover leaves the dead holder's running record alone: the new holder resumes it (a
   * cut-over runbook continues its own record). Default false: a deploy marks it interrupted.
   */
  resumes?: boolean;
}

export interface LockTarget {
  service: string;
  environment: string;
}

export function leaseKey(service: string, environment: string): string {
  return `${service}/${environment}`;
}

export function defaultLeaseMs(env: NodeJS.ProcessEnv = process.env): number {
  const s = Number(env.FERRY_LEASE_SECONDS);
  return Number.isFinite(s) && s > 0 ? s * 1000 : 30_000;
}

/**
 * After a takeover: every release of (service, environment) still `running` was its dead holder's
 * (only the lease holder runs a release, and the new one has not started yet) — the one the lease
 * names, and one the holder recorded but died before naming in the lease.
 */
async function interruptOrphans(store: Store, target: LockTarget, by: string, at: number): Promise<void> {
  const { service, environment } = target;
  const running = await store.releases({ service, environment, outcome: 'running', limit: 100 });
  for (const r of running.items) await store.markInterrupted({ service, environment, id: r.id }, by, at);
}

export type TakeoverReason = 'expired' | 'holder-gone';

export class DeployLock {
  readonly key: string;
  readonly lease: Lease;
  /** the lease this lock took over, if any, and why it could */
  readonly tookOver: { lease: Lease; reason: TakeoverReason } | undefined;
  private readonly store: Store;
  private readonly timer: NodeJS.Timeout;
  private released = false;

  private constructor(store: Store, lease: Lease, tookOver: DeployLock['tookOver'], opts: LockOptions) {
    this.store = store;
    this.key = lease.key;
    this.lease = lease;
    this.tookOver = tookOver;
    const now = opts.now ?? Date.now;
    const log = opts.log ?? silentLogger;
    this.timer = setInterval(
      () => {
        void this.store.renewLease(this.key, lease.token, opts.ttlMs, now()).then(
          (ok) => {
            if (!ok && !this.released) {
              log.warn(
                { lease: this.key, holder: lease.holder },
                'lost the lease: another process holds it now',
              );
              opts.onLost?.();
            }
          },
          (e: unknown) => {
            // a store hiccup: try again on the next beat; expiry decides
            log.warn(
              { lease: this.key, error: e instanceof Error ? e.message : String(e) },
              'could not renew the lease; retrying at the next heartbeat',
            );
          },
        );
      },
      Math.max(100, Math.floor(opts.ttlMs / 3)),
    );
    this.timer.unref();
  }

  /**
   * Takes the lease for (service, environment) as `holder`. An expired lease, or one whose holder
   * on this host is gone, is taken over and the release its holder was running marked interrupted.
   */
  static async acquire(
    store: Store,
    target: LockTarget,
    holder: string,
    opts: LockOptions,
  ): Promise<DeployLock> {
    const now = opts.now ?? Date.now;
    const key = leaseKey(target.service, target.environment);
    const request = () => ({
      key,
      holder,
      token: randomUUID(),
      owner: opts.owner ?? thisProcess(),
      ttlMs: opts.ttlMs,
      now: now(),
    });
    const deadline = now() + opts.waitMs;
    for (;;) {
      const req = request();
      let got = await store.acquireLease(req);
      let reason: TakeoverReason = 'expired';
      if (!got.acquired && provablyDead(got.current.owner)) {
        got = await store.takeOverLease(req, got.current.token);
        reason = 'holder-gone';
      }
      if (got.acquired) {
        const tookOver = got.previous;
        if (tookOver && !opts.resumes) await interruptOrphans(store, target, holder, now());
        return new DeployLock(store, got.lease, tookOver && { lease: tookOver, reason }, opts);
      }
      if (now() >= deadline) throw new LockHeldError(got.current);
      const wait = Math.min(500, Math.max(50, got.current.expiresAt - now()), deadline - now());
      await new Promise((r) => setTimeout(r, Math.max(10, wait)));
    }
  }

  async attach(releaseId: number): Promise<void> {
    await this.store.attachLease(this.key, this.lease.token, releaseId);
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    await this.store.releaseLease(this.key, this.lease.token);
  }
}
