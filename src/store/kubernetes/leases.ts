// Deploy locks on Lease objects in the environment's namespace. Every change is a compare-and-set
// on the Lease's resourceVersion (the first acquisition a create, which fails when another process
// created it first), so two ferry processes — on two machines — can never both hold one: the
// loser's write answers 409, it reads again and sees the winner's lease.
import type { KObject } from '../../cluster/types.ts';
import type { Lease, LeaseAcquire, LeaseRequest } from '../types.ts';
import { retryOnConflict } from './cas.ts';
import {
  LEASE_API,
  decodeHeld,
  generationOf,
  leaseObject,
  splitLeaseKey,
  type Held,
} from './lease-record.ts';
import { lockName } from './names.ts';
import type { Place, Places } from './place.ts';

export class Leases {
  private readonly places: Places;

  constructor(places: Places) {
    this.places = places;
  }

  private at(key: string): { place: Place; name: string } {
    const { service, environment } = splitLeaseKey(key);
    return { place: this.places.of(environment), name: lockName(service, environment) };
  }

  private read(key: string): Promise<{ place: Place; live: KObject | undefined }> {
    const { place, name } = this.at(key);
    return place.get(LEASE_API, 'Lease', name).then((live) => ({ place, live }));
  }

  private async write(
    place: Place,
    key: string,
    live: KObject | undefined,
    held: Held | undefined,
  ): Promise<KObject> {
    const obj = leaseObject(key, live, held);
    return live ? place.replace(obj) : place.create(obj);
  }

  /** Takes the lease when it is free or `may(current)` allows it. */
  take(r: LeaseRequest, may: (current: Lease) => boolean): Promise<LeaseAcquire> {
    return retryOnConflict(`the lease ${r.key}`, async () => {
      const { place, live } = await this.read(r.key);
      const current = decodeHeld(live, r.key)?.lease;
      if (current && !may(current)) return { acquired: false, current };
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
          expiresAt: r.now + r.ttlMs,
        },
      };
      const written = await this.write(place, r.key, live, held);
      return { acquired: true, lease: decodeHeld(written, r.key)?.lease ?? held.lease, previous: current };
    });
  }

  /** Rewrites the lease `token` holds with `change`; false when `token` does not hold it. */
  private change(key: string, token: string, change: (h: Held) => Held | undefined): Promise<boolean> {
    return retryOnConflict(`the lease ${key}`, async () => {
      const { place, live } = await this.read(key);
      const held = decodeHeld(live, key);
      if (!held || held.lease.token !== token) return false;
      await this.write(place, key, live, change(held));
      return true;
    });
  }

  renew(key: string, token: string, ttlMs: number, now: number): Promise<boolean> {
    return this.change(key, token, (h) => ({
      renewedAt: now,
      lease: { ...h.lease, expiresAt: now + ttlMs },
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
    return decodeHeld((await this.read(key)).live, key)?.lease;
  }
}
