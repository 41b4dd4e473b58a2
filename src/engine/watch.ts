// Waiting on live objects by watching them (never polling): several kinds are watched into one
// snapshot and `evaluate` decides after every event whether we are done, failed, or still
// progressing. Ends on the first certain answer, on timeout, or when the signal aborts.
import type { Cluster, KObject, WatchHandle } from '../cluster/types.ts';
import { CancelledError, TimeoutError } from './errors.ts';
import { FerryError } from '../errors.ts';

export interface WatchSpec {
  apiVersion: string;
  kind: string;
  labelSelector: string;
}

/** kind → name → latest object */
export type Snapshot = Map<string, Map<string, KObject>>;

export type Verdict =
  | { state: 'done'; message: string }
  | { state: 'failed'; message: string }
  | { state: 'waiting'; message: string };

export interface WaitOptions {
  what: string;
  timeoutMs: number;
  signal: AbortSignal;
  onProgress?: (message: string) => void;
}

/** A tracked object failed (crash loop, image pull, failed Job…). */
export class RolloutFailedError extends FerryError {
  constructor(message: string) {
    super('E_ROLLOUT_FAILED', message, {});
    this.name = 'RolloutFailedError';
  }
}

export function objectsOf(s: Snapshot, kind: string): KObject[] {
  return [...(s.get(kind)?.values() ?? [])];
}

export async function waitFor(
  cluster: Cluster,
  namespace: string,
  specs: readonly WatchSpec[],
  evaluate: (s: Snapshot) => Verdict,
  opts: WaitOptions,
): Promise<string> {
  const snapshot: Snapshot = new Map(specs.map((s) => [s.kind, new Map<string, KObject>()]));
  const handles: WatchHandle[] = [];
  let settled = false;
  let listed = false; // evaluate only once every kind has been listed: a partial snapshot can look done
  let lastProgress = '';
  return new Promise<string>((resolve, reject) => {
    const finish = (err: Error | undefined, message = '') => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal.removeEventListener('abort', onAbort);
      for (const h of handles) h.stop();
      if (err) reject(err);
      else resolve(message);
    };
    const check = () => {
      if (settled || !listed) return;
      let v: Verdict;
      try {
        v = evaluate(snapshot);
      } catch (e) {
        finish(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      if (v.state === 'done') finish(undefined, v.message);
      else if (v.state === 'failed') finish(new RolloutFailedError(v.message));
      else if (v.message !== lastProgress) {
        lastProgress = v.message;
        opts.onProgress?.(v.message);
      }
    };
    const onAbort = () => finish(new CancelledError(`cancelled while waiting for ${opts.what}`));
    const timer = setTimeout(
      () =>
        finish(
          new TimeoutError(
            `${opts.what} (${lastProgress || 'no progress'})`,
            Math.round(opts.timeoutMs / 1000),
          ),
        ),
      opts.timeoutMs,
    );
    if (opts.signal.aborted) return onAbort();
    opts.signal.addEventListener('abort', onAbort, { once: true });

    const start = async (spec: WatchSpec): Promise<void> => {
      const byName = snapshot.get(spec.kind)!;
      const h = await cluster.watch(
        spec.apiVersion,
        spec.kind,
        namespace,
        spec.labelSelector,
        (e) => {
          if (e.type === 'DELETED') byName.delete(e.object.metadata.name);
          else byName.set(e.object.metadata.name, e.object);
          check();
        },
        () => {
          // the server closed the watch (timeouts happen): list and watch again
          if (!settled)
            void start(spec).catch((err: unknown) =>
              finish(err instanceof Error ? err : new Error(String(err))),
            );
        },
      );
      if (settled) h.stop();
      else handles.push(h);
    };
    Promise.all(specs.map(start)).then(
      () => {
        listed = true;
        check();
      },
      (err: unknown) => finish(err instanceof Error ? err : new Error(String(err))),
    );
  });
}
