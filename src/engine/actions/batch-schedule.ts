// The batch rule for deploying several services at once: up to `parallel` jobs run together; a
// job starts only when every job it comes after (by its service's `after:` list, among the jobs of
// this batch) has succeeded; the same service twice runs in the order given. When a job fails
// (or the run is stopped), nothing new starts: the running ones finish and are reported, and every
// job not started is reported with why — behind a failed dependency, or stopped.
// Pure: the caller says how a job runs and whether its result is a success.
import { FerryError } from '../../errors.ts';
import { findCycle } from '../../manifest/after.ts';

/** How many releases of a batch run at once unless told otherwise. */
export const DEFAULT_PARALLEL = 4;

export interface BatchJob {
  service: string;
  /** services this one comes after (names outside the batch are ignored) */
  after: readonly string[];
}

export interface NotStarted {
  index: number;
  /** `dependency`: a job it comes after failed or was not started; `stopped`: the batch stopped */
  reason: 'dependency' | 'stopped';
  /** the service of the failed or not started job it waits for (with `dependency`) */
  blockedBy?: string;
}

export interface BatchOutcome<R> {
  /** results in the order of the jobs (not of completion) */
  results: { index: number; result: R }[];
  notStarted: NotStarted[];
}

/** For each job, the indices of the jobs it waits for. Refuses a cycle (E_AFTER_CYCLE). */
export function dependenciesOf(jobs: readonly BatchJob[]): number[][] {
  const deps = jobs.map((job, i) => {
    const waits = new Set<number>();
    jobs.forEach((other, j) => {
      if (j === i) return;
      if (job.after.includes(other.service)) waits.add(j);
      else if (j < i && other.service === job.service) waits.add(j);
    });
    return [...waits];
  });
  const cycle = findCycle(new Map(deps.map((d, i) => [i, d])));
  if (cycle) {
    throw new FerryError(
      'E_AFTER_CYCLE',
      `these services wait for each other: ${cycle.map((i) => jobs[i]?.service).join(' → ')}`,
      { hint: 'remove one of the after entries in the cycle' },
    );
  }
  return deps;
}

/**
 * The jobs in an order they may start in, one at a time: each after every job it waits for (from
 * dependenciesOf, so without cycles); otherwise in the order given. The team server queues a
 * batch in this order.
 */
export function startOrder(deps: readonly (readonly number[])[]): number[] {
  const placed = new Set<number>();
  const order: number[] = [];
  while (order.length < deps.length) {
    const next = deps.findIndex((d, i) => !placed.has(i) && d.every((j) => placed.has(j)));
    if (next < 0) throw new FerryError('E_AFTER_CYCLE', 'the jobs wait for each other');
    placed.add(next);
    order.push(next);
  }
  return order;
}

export async function runBatch<R>(
  jobs: readonly BatchJob[],
  opts: {
    parallel: number;
    start: (index: number) => Promise<R>;
    succeeded: (result: R) => boolean;
    /** true once the caller wants nothing new started (a cancelled run) */
    stopped?: () => boolean;
  },
): Promise<BatchOutcome<R>> {
  if (!Number.isInteger(opts.parallel) || opts.parallel < 1)
    throw new FerryError('E_USAGE', `parallel must be a whole number ≥ 1, not ${opts.parallel}`);
  const deps = dependenciesOf(jobs);
  const state: ('waiting' | 'running' | 'ok' | 'failed')[] = jobs.map(() => 'waiting');
  const results: { index: number; result: R }[] = [];
  const running = new Map<number, Promise<void>>();
  let failed = false;
  let thrown: { error: unknown } | undefined;
  const ready = (i: number) => state[i] === 'waiting' && (deps[i] ?? []).every((d) => state[d] === 'ok');
  for (;;) {
    while (!failed && !(opts.stopped?.() ?? false) && running.size < opts.parallel) {
      const next = state.findIndex((_, i) => ready(i));
      if (next < 0) break;
      state[next] = 'running';
      running.set(
        next,
        opts.start(next).then(
          (result) => {
            results.push({ index: next, result });
            state[next] = opts.succeeded(result) ? 'ok' : 'failed';
            if (state[next] === 'failed') failed = true;
            running.delete(next);
          },
          (error: unknown) => {
            state[next] = 'failed';
            failed = true;
            thrown ??= { error };
            running.delete(next);
          },
        ),
      );
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  if (thrown) throw thrown.error;
  return { results: results.sort((a, b) => a.index - b.index), notStarted: notStarted(jobs, deps, state) };
}

function notStarted(
  jobs: readonly BatchJob[],
  deps: readonly number[][],
  state: readonly string[],
): NotStarted[] {
  const blocker = (i: number, seen = new Set<number>()): number | undefined => {
    for (const d of deps[i] ?? []) {
      if (state[d] === 'failed') return d;
      if (state[d] === 'waiting' && !seen.has(d)) {
        seen.add(d);
        const b = blocker(d, seen);
        if (b !== undefined) return b;
      }
    }
    return undefined;
  };
  return state.flatMap((s, index): NotStarted[] => {
    if (s !== 'waiting') return [];
    const b = blocker(index);
    return b === undefined
      ? [{ index, reason: 'stopped' }]
      : [{ index, reason: 'dependency', blockedBy: jobs[b]?.service ?? '' }];
  });
}
