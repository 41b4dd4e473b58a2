// Deploy locks on Lease objects in the environment's namespace. Every change is a compare-and-set
// on the Lease's resourceVersion (the first acquisition a create, which fails when another process
// created it first), so two ferry processes — on two machines — can never both hold one: the
// loser's write answers 409, it reads again and sees the winner's lease.
import type { KObject } from '../../cluster/types.ts';
import type { Lease, LeaseAcquire, LeaseRequest } from '../types.ts';
import type { Decision, LastSeen } from './cas.ts';
import {
  LEASE_API,
  decodeHeld,
  generationOf,
  leaseEnd,
  leaseObject,
  splitLeaseKey,
  type Held,
} from './lease-record.ts';
import { lockName } from './names.ts';
import type { Place, Places } from './place.ts';

export class Leases {
  private readonly places: Places;
  private readonly seen: LastSeen;

  constructor(places: Places, seen: LastSeen) {
    this.places = places;
    this.seen = seen;
  }

  private at(key: string): { place: Place; name: string } {
    const { service, environment } = splitLeaseKey(key);
    return { place: this.places.of(environment), name: lockName(service, environment) };
  }

  /** A compare-and-set of the Lease of `key`, from `decide(live Lease)`. */
  private update<T>(key: string, decide: (live: KObject | undefined) => Decision<T>): Promise<T> {
    const { place, name } = this.at(key);
    return place.update(
      this.seen,
      { apiVersion: LEASE_API, kind: 'Lease', name },
      `the lease ${key}`,
      decide,
    );
  }

  /** Takes the lease when it is free or `may(current)` allows it. */
  take(r: LeaseRequest, may: (current: Lease) => boolean): Promise<LeaseAcquire> {
    return this.update(r.key, (live): Decision<LeaseAcquire> => {
      const current = decodeHeld(live, r.key)?.lease;
      if (current && !may(current)) return { write: undefined, result: { acquired: false, current } };
      const held: Held = {
        renewedAt: r.now,
        lease: {
          key: r.key,
          holder: r.holder,
          token: r.token,
          generation: generationOf(live) + 1,
          releaseId: undefined,
          owner: r.owner,
          acquiredAt: r.now,
          expiresAt: leaseEnd(r.now, r.ttlMs),
        },
      };
      return {
        write: leaseObject(r.key, live, held),
        result: { acquired: true, lease: held.lease, previous: current },
      };
    });
  }

  /** Rewrites the lease `token` holds with `change`; false when `token` does not hold it. */
  private change(key: string, token: string, change: (h: Held) => Held | undefined): Promise<boolean> {
    return this.update(key, (live) => {
      const held = decodeHeld(live, key);
      if (!held || held.lease.token !== token) return { write: undefined, result: false };
      return { write: leaseObject(key, live, change(held)), result: true };
    });
  }

  renew(key: string, token: string, ttlMs: number, now: number): Promise<boolean> {
    return this.change(key, token, (h) => ({
      renewedAt: now,
      lease: { ...h.lease, expiresAt: leaseEnd(now, ttlMs) },
    }));
  }

  async attach(key: string, token: string, releaseId: number): Promise<void> {
    await this.change(key, token, (h) => ({ ...h, lease: { ...h.lease, releaseId } }));
  }

  /** Frees the lease; the Lease object stays, with no holder and its count of acquisitions. */
  async release(key: string, token: string): Promise<void> {
    await this.change(key, token, () => undefined);
  }

  async get(key: string): Promise<Lease | undefined> {
    const { place, name } = this.at(key);
    return decodeHeld(await place.get(LEASE_API, 'Lease', name), key)?.lease;
  }
}
