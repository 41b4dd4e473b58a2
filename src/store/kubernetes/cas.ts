// Compare-and-set against the API server: read, decide, write with the resourceVersion read (or
// create, which fails when someone else created first); a 409 means another writer came in
// between, so read again and decide again. Bounded, with jittered backoff, so writers racing on
// one object spread out instead of colliding in lockstep. A process that wrote an object last
// (a deploy recording its steps, renewing its lease, taking the next id) starts from the version
// it wrote and skips the read: the compare-and-set still checks it.
import type { KObject } from '../../cluster/types.ts';
import { StoreError } from '../errors.ts';
import { isConflict } from './errors.ts';

const MAX_ATTEMPTS = 60;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `attempt` until it does not end in a 409 conflict. */
export async function retryOnConflict<T>(what: string, attempt: () => Promise<T>): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      if (!isConflict(e)) throw e;
      if (n + 1 >= MAX_ATTEMPTS) {
        throw new StoreError(`${what}: other writers kept changing it (${MAX_ATTEMPTS} attempts)`, e);
      }
      await pause(Math.random() * Math.min(200, 4 * 2 ** Math.min(n, 6)));
    }
  }
}

/** The version of small objects this process last wrote or read, the most recent few hundred. */
export class LastSeen {
  private readonly seen = new Map<string, KObject>();
  private readonly max: number;

  constructor(max = 256) {
    this.max = max;
  }

  get(key: string): KObject | undefined {
    return this.seen.get(key);
  }

  remember(key: string, o: KObject): void {
    this.seen.delete(key);
    this.seen.set(key, o);
    if (this.seen.size > this.max) this.seen.delete(this.seen.keys().next().value ?? key);
  }

  forget(key: string): void {
    this.seen.delete(key);
  }
}

/** What to write (nothing: undefined) and what to answer, decided from the object as it is. */
export interface Decision<T> {
  write: KObject | undefined;
  result: T;
}

export interface Update<T> {
  what: string;
  /** where LastSeen keeps the object */
  key: string;
  read(): Promise<KObject | undefined>;
  /** create when `live` is undefined, else replace (the object carries live's resourceVersion) */
  write(obj: KObject, live: KObject | undefined): Promise<KObject>;
  decide(live: KObject | undefined): Decision<T>;
}

/**
 * A read-modify-write with compare-and-set, starting from the version last seen when that leads
 * to a write (a stale one answers 409 and the object is read afresh). A decision not to write is
 * always taken on a fresh read, so an answer never rests on what this process saw earlier.
 */
export function update<T>(seen: LastSeen, u: Update<T>): Promise<T> {
  const put = async (d: Decision<T>, live: KObject | undefined): Promise<T> => {
    try {
      if (d.write) seen.remember(u.key, await u.write(d.write, live));
      return d.result;
    } catch (e) {
      seen.forget(u.key);
      throw e;
    }
  };
  return retryOnConflict(u.what, async () => {
    const cached = seen.get(u.key);
    if (cached) {
      const d = u.decide(cached);
      if (d.write) {
        try {
          return await put(d, cached);
        } catch (e) {
          if (!isConflict(e)) throw e;
        }
      }
    }
    const live = await u.read();
    if (live) seen.remember(u.key, live);
    else seen.forget(u.key);
    return put(u.decide(live), live);
  });
}
