// Retry with exponential backoff and jitter for calls that failed to reach the API server.

export interface Backoff {
  attempts: number;
  baseMs: number;
  maxMs: number;
}

export const defaultBackoff: Backoff = { attempts: 5, baseMs: 200, maxMs: 3000 };

export function delayFor(attempt: number, b: Backoff, random: () => number = Math.random): number {
  const exp = Math.min(b.maxMs, b.baseMs * 2 ** attempt);
  return Math.round(exp / 2 + (random() * exp) / 2);
}

/** Runs `fn`; on an error `isTransient` accepts, waits and tries again, up to `b.attempts` times. */
export async function withRetry<T>(
  fn: () => Promise<T>,
  isTransient: (e: unknown) => boolean,
  b: Backoff = defaultBackoff,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt + 1 >= b.attempts || !isTransient(e)) throw e;
      await sleep(delayFor(attempt, b));
    }
  }
}
