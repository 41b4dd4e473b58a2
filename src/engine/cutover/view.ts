// What plan, start, next, abort and status answer with: one JSON shape (the CLI's -o json and its
// human output are both made from it).
import type { CutoverPlan } from '../../model/cutover.ts';
import type { TrafficState } from '../../render/cutover/index.ts';
import type { ReleaseSummary, Step } from '../../store/types.ts';
import { describeStep, stepName, type Position, type StopReason } from './machine.ts';
import type { Pitfall } from './pitfalls.ts';

export type StepStatus = 'done' | 'failed' | 'cancelled' | 'interrupted' | 'running' | 'pending';

export interface StepView {
  index: number;
  name: string;
  description: string;
  status: StepStatus;
  attempts: {
    seq: number;
    outcome: string;
    message: string;
    startedAt: string;
    endedAt: string | undefined;
  }[];
}

export interface CutoverView {
  name: string;
  environment: string;
  namespace: string;
  driver: string;
  /** the record in the history, once started */
  id: number | undefined;
  actor: string | undefined;
  startedAt: string | undefined;
  endedAt: string | undefined;
  phase: Position['phase'];
  /** the next plan step (0-based) */
  next: number;
  traffic: TrafficState;
  stopped: StopReason | undefined;
  steps: StepView[];
  /** other records (reverts, abort), in order */
  events: { seq: number; name: string; outcome: string; message: string; startedAt: string }[];
  pitfalls: Pitfall[];
  caveats: string[];
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function status(attempts: readonly Step[], done: boolean): StepStatus {
  if (done) return 'done';
  const last = attempts.at(-1);
  if (!last) return 'pending';
  return last.outcome === 'succeeded' || last.outcome === 'skipped' ? 'done' : last.outcome;
}

export function cutoverView(
  plan: CutoverPlan,
  release: ReleaseSummary | undefined,
  pos: Position,
  records: readonly Step[],
  extra: { pitfalls?: Pitfall[]; caveats?: string[] } = {},
): CutoverView {
  const byStep = new Map<number, Step[]>();
  for (const a of pos.attempts) byStep.set(a.step, [...(byStep.get(a.step) ?? []), a.record]);
  const inPlan = new Set(pos.attempts.map((a) => a.record.seq));
  return {
    name: plan.name,
    environment: plan.environment.name,
    namespace: plan.environment.namespace,
    driver: plan.driver,
    id: release?.id,
    actor: release?.actor,
    startedAt: iso(release?.startedAt),
    endedAt: iso(release?.endedAt),
    phase: pos.phase,
    next: pos.next,
    traffic: pos.state,
    stopped: pos.phase === 'stopped' ? pos.reason : undefined,
    steps: plan.steps.map((s, index) => {
      const attempts = byStep.get(index) ?? [];
      return {
        index,
        name: stepName(s),
        description: describeStep(s),
        status: status(attempts, index < pos.next),
        attempts: attempts.map((a) => ({
          seq: a.seq,
          outcome: a.outcome,
          message: a.message,
          startedAt: iso(a.startedAt)!,
          endedAt: iso(a.endedAt),
        })),
      };
    }),
    events: records
      .filter((r) => !inPlan.has(r.seq))
      .map((r) => ({
        seq: r.seq,
        name: r.name,
        outcome: r.outcome,
        message: r.message,
        startedAt: iso(r.startedAt)!,
      })),
    pitfalls: extra.pitfalls ?? [],
    caveats: extra.caveats ?? [],
  };
}
