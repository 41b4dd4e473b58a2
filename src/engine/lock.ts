// The deploy lock: a lease per (service, environment) in the store, with a holder and an expiry,
// renewed by a heartbeat while the deploy runs. A lease whose holder died expires and is taken
// over by the next deploy, which marks the dead holder's release `interrupted` — no release is
// ever stuck "in progress" (Helm's pending-upgrade problem).
import { randomUUID } from 'node:crypto';
import type { Store } from '../store/store.ts';
import type { Lease } from '../store/types.ts';
import { LockHeldError } from './errors.ts';

export interface LockOptions {
  /** lease duration; a killed process blocks others at most this long. Default 30 s (FERRY_LEASE_SECONDS) */
  ttlMs: number;
  /** when held by someone else: wait up to this long for it (0 = fail at once) */
  waitMs: number;
  now?: () => number;
  /** called when a renewal fails: the lease was lost */
  onLost?: () => void;
}

export function leaseKey(service: string, environment: string): string {
  return `${service}/${environment}`;
}

export function defaultLeaseMs(env: NodeJS.ProcessEnv = process.env): number {
  const s = Number(env.FERRY_LEASE_SECONDS);
  return Number.isFinite(s) && s > 0 ? s * 1000 : 30_000;
}

export class DeployLock {
  readonly key: string;
  readonly lease: Lease;
  /** the expired lease this lock took over, if any */
  readonly tookOver: Lease | undefined;
  private readonly store: Store;
  private readonly timer: NodeJS.Timeout;
  private released = false;

  private constructor(store: Store, lease: Lease, tookOver: Lease | undefined, opts: LockOptions) {
    this.store = store;
    this.key = lease.key;
    this.lease = lease;
    this.tookOver = tookOver;
    const now = opts.now ?? Date.now;
    this.timer = setInterval(
      () => {
        void this.store.driver.renewLease(this.key, lease.token, opts.ttlMs, now()).then(
          (ok) => {
            if (!ok && !this.released) opts.onLost?.();
          },
          () => undefined, // a store hiccup: try again on the next beat; expiry decides
        );
      },
      Math.max(100, Math.floor(opts.ttlMs / 3)),
    );
    this.timer.unref();
  }

  /**
   * Takes the lease for (service, environment) as `holder`. An expired lease is taken over and
   * the release its holder was running is marked interrupted.
   */
  static async acquire(store: Store, key: string, holder: string, opts: LockOptions): Promise<DeployLock> {
    const now = opts.now ?? Date.now;
    const token = randomUUID();
    const deadline = now() + opts.waitMs;
    for (;;) {
      const got = await store.driver.acquireLease(key, holder, token, opts.ttlMs, now());
      if (got.acquired) {
        const prev = got.previous;
        if (prev?.releaseId !== undefined) await store.markInterrupted(prev.releaseId, holder, now());
        return new DeployLock(store, got.lease, prev, opts);
      }
      if (now() >= deadline) throw new LockHeldError(got.current);
      const wait = Math.min(500, Math.max(50, got.current.expiresAt - now()), deadline - now());
      await new Promise((r) => setTimeout(r, Math.max(10, wait)));
    }
  }

  async attach(releaseId: number): Promise<void> {
    await this.store.driver.setLeaseRelease(this.key, this.lease.token, releaseId);
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    await this.store.driver.releaseLease(this.key, this.lease.token);
  }
}
