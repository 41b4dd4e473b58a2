// What one run of an action gets, beside the engine: who is acting, how to stop it, and where its
// progress goes. The CLI makes one per command; the server one per request.
import { hostname, userInfo } from 'node:os';
import type { ProgressEvent, ProgressListener, ProgressSink, Unsequenced } from './progress.ts';

export interface RunContext {
  /** user@host, a token's name, or FERRY_ACTOR */
  readonly actor: string;
  /**
   * Cancels the run: the release ends cancelled and the cluster is brought back. A running
   * migration is allowed to finish first when it can be migrated down.
   */
  readonly signal: AbortSignal;
  /** Stops at once what is running (a migration Job included), then brings the cluster back. */
  readonly hardSignal: AbortSignal;
  readonly onEvent: ProgressSink;
}

/** A run context; `onEvent` receives every event numbered and stamped. */
export function runContext(opts: {
  actor: string;
  signal?: AbortSignal;
  hardSignal?: AbortSignal;
  onEvent?: ProgressListener;
  now?: () => number;
}): RunContext {
  const now = opts.now ?? Date.now;
  const listener = opts.onEvent;
  let seq = 0;
  const sink = (e: Unsequenced) => {
    listener?.({ ...e, seq: ++seq, at: e.at ?? now() } as ProgressEvent);
  };
  return {
    actor: opts.actor,
    signal: opts.signal ?? new AbortController().signal,
    hardSignal: opts.hardSignal ?? new AbortController().signal,
    onEvent: sink,
  };
}

export function defaultActor(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FERRY_ACTOR) return env.FERRY_ACTOR;
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    user = env.USER ?? 'unknown';
  }
  return `${user}@${hostname()}`;
}
