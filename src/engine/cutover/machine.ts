// The runbook's state machine, as a pure function of the plan and what the store recorded: which
// plan step comes next, where the traffic is, and why the runbook stopped. Plan steps run strictly
// in order and each attempt is one recorded step, so the next step is the number of attempts that
// succeeded; a failed, cancelled or interrupted attempt is tried again by `next`. The traffic
// state is the replay of the succeeded steps: a weight step that failed was rolled back, so it
// does not count.
import type { CutoverStep } from '../../model/cutover.ts';
import type { TrafficState } from '../../render/cutover/index.ts';
import type { ReleaseOutcome, Step, StepName } from '../../store/types.ts';

export const INITIAL_STATE: TrafficState = { maintenance: false, weight: 0 };
/** Where abort puts the traffic: all of it on the old platform, no maintenance page. */
export const ABORTED_STATE: TrafficState = { maintenance: false, weight: 0 };

export function stepName(s: CutoverStep): StepName {
  return s.kind === 'run' ? 'user-step' : s.kind;
}

/** What a plan step does to the traffic. */
export function apply(state: TrafficState, s: CutoverStep): TrafficState {
  if (s.kind === 'maintenance') return { ...state, maintenance: s.on };
  if (s.kind === 'weight') return { ...state, weight: s.weight };
  return state;
}

export function describeStep(s: CutoverStep): string {
  switch (s.kind) {
    case 'maintenance':
      return `maintenance ${s.on ? 'on' : 'off'}`;
    case 'drain':
    case 'run':
      return `${s.kind === 'drain' ? 'drain' : s.action.label}${s.action.confirm ? ' (confirm)' : ''}`;
    case 'services':
      return 'services on';
    case 'weight':
      return `weight ${s.weight} %${s.observeSeconds > 0 ? `, observe ${s.observeSeconds} s` : ''}`;
  }
}

export type Phase =
  /** no cut-over recorded, or the last one ended: `start` begins one */
  | 'not-started'
  /** a process is running it now */
  | 'running'
  /** stopped between steps (a confirm, a failure, Ctrl-C, a killed process): `next` continues */
  | 'stopped'
  | 'succeeded'
  | 'aborted';

export type StopReason =
  | { kind: 'fresh' }
  | { kind: 'confirm'; text: string }
  | { kind: 'failed'; step: number; message: string }
  | { kind: 'cancelled'; step: number; message: string }
  | { kind: 'interrupted'; step: number };

export interface Position {
  phase: Phase;
  /** index of the next plan step to run (= plan.steps.length when all ran) */
  next: number;
  state: TrafficState;
  /** why it stopped, when phase is stopped */
  reason: StopReason | undefined;
  /** recorded attempts per plan step, for status */
  attempts: readonly { step: number; record: Step }[];
}

const PLAN_STEP_NAMES = new Set<StepName>(['maintenance', 'drain', 'user-step', 'services', 'weight']);

/**
 * Where a cut-over is. `outcome` is its record's; `live` whether a process holds its lease now.
 * Recorded steps not of the plan (revert, abort) do not move it.
 */
export function position(
  steps: readonly CutoverStep[],
  outcome: ReleaseOutcome | undefined,
  records: readonly Step[],
  live: boolean,
): Position {
  let next = 0;
  let state = INITIAL_STATE;
  let reason: StopReason | undefined;
  const attempts: { step: number; record: Step }[] = [];
  for (const r of [...records].sort((a, b) => a.seq - b.seq)) {
    if (!PLAN_STEP_NAMES.has(r.name)) {
      if (r.name === 'abort' && r.outcome === 'succeeded') state = ABORTED_STATE;
      continue;
    }
    attempts.push({ step: next, record: r });
    if (r.outcome === 'succeeded') {
      const s = steps[next];
      if (s) state = apply(state, s);
      next++;
      reason = undefined;
    } else if (r.outcome === 'failed') reason = { kind: 'failed', step: next, message: r.message };
    else if (r.outcome === 'cancelled') reason = { kind: 'cancelled', step: next, message: r.message };
    else if (r.outcome === 'interrupted' || r.outcome === 'running')
      reason = { kind: 'interrupted', step: next };
  }
  if (outcome === undefined)
    return { phase: 'not-started', next: 0, state: INITIAL_STATE, reason: undefined, attempts };
  if (outcome === 'succeeded') return { phase: 'succeeded', next, state, reason: undefined, attempts };
  if (outcome !== 'running')
    return { phase: 'aborted', next, state: ABORTED_STATE, reason: undefined, attempts };
  if (live) return { phase: 'running', next, state, reason: undefined, attempts };
  const s = steps[next];
  if (!reason && s && (s.kind === 'drain' || s.kind === 'run') && s.action.confirm)
    reason = { kind: 'confirm', text: s.action.confirm };
  return { phase: 'stopped', next, state, reason: reason ?? { kind: 'fresh' }, attempts };
}

/** The weight before plan step `i` (what a failing weight step goes back to). */
export function stateBefore(steps: readonly CutoverStep[], i: number): TrafficState {
  return steps.slice(0, i).reduce(apply, INITIAL_STATE);
}
