// Compare-and-set against the API server: read, decide, write with the resourceVersion read (or
// create, which fails when someone else created first); a 409 means another writer came in
// between, so read again and decide again. Bounded, with jittered backoff, so writers racing on
// one object spread out instead of colliding in lockstep.
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
