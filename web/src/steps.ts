// A running release's steps as the page shows them: the last read of the release (the API's
// steps, in order) merged with the step events streamed since, by step number. Events may
// arrive before that read answers, or name a step whose predecessors the page never saw (the
// stream carries only what happens after it connects): nothing is ever indexed into a sparse
// list, and a step the page knows nothing of yet is left out until the next read fills it in.
import type { Step } from './types.ts';

/** A step as the store's events carry it. */
export interface StreamStep {
  seq: number;
  name: string;
  outcome: string;
  message: string;
  startedAt: number;
  endedAt?: number;
}

export const stepOf = (s: StreamStep): Step => ({
  name: s.name,
  outcome: s.outcome,
  message: s.message,
  startedAt: new Date(s.startedAt).toISOString(),
  ...(s.endedAt !== undefined ? { ms: s.endedAt - s.startedAt } : {}),
});

/** The newer of two views of one step: an ended one wins over a running one; between two
 * running ones the streamed one (its progress message is the latest). */
function newer(read: Step | undefined, streamed: Step | undefined): Step | undefined {
  if (!read) return streamed;
  if (!streamed) return read;
  if (read.outcome !== 'running') return read;
  return streamed;
}

/** Steps 1…n: from the read (`read[i]` is step i+1) and the streamed (by step number). */
export function mergeSteps(read: readonly Step[], streamed: ReadonlyMap<number, Step>): Step[] {
  const last = Math.max(read.length, ...streamed.keys());
  const out: Step[] = [];
  for (let seq = 1; seq <= last; seq++) {
    const s = newer(read[seq - 1], streamed.get(seq));
    if (s) out.push(s);
  }
  return out;
}
