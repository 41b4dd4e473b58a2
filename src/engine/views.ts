// The one shape of a release every edge shows: `deploy`, `rollback`, `history`, `status` and the
// server's API all answer with it (-o json), so scripts read one set of fields.
import type { ReleaseWithSteps, SummaryWithSteps } from '../store/store.ts';
import type {
  FinalStepOutcome,
  ReleaseKey,
  ReleaseKind,
  ReleaseOutcome,
  ReleaseSource,
  ReleaseSummary,
  Step,
  StepName,
  StepOutcome,
} from '../store/types.ts';

export interface StepView {
  name: StepName;
  outcome: StepOutcome;
  message: string;
  startedAt: string;
  /** undefined while it runs */
  ms: number | undefined;
}

export interface ReleaseView {
  id: number;
  kind: ReleaseKind;
  service: string;
  environment: string;
  namespace: string;
  version: string;
  outcome: ReleaseOutcome;
  message: string;
  actor: string;
  startedAt: string;
  endedAt: string | undefined;
  durationMs: number | undefined;
  manifestDigest: string;
  /** a rollback's or promotion's source */
  sourceRelease: ReleaseKey | undefined;
  source: ReleaseSource;
  steps: StepView[];
}

/** A release that just ran, as its action reports it. */
export interface ReleaseReport extends ReleaseView {
  outcome: Exclude<ReleaseOutcome, 'running'>;
  /** the step that failed, when one did */
  failedStep: StepName | undefined;
  /** the version of the last successful release before this one */
  previousVersion: string | undefined;
  /** whether the cluster was brought back to the previous release */
  reverted: boolean;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function stepView(s: Step): StepView {
  return {
    name: s.name,
    outcome: s.outcome,
    message: s.message,
    startedAt: iso(s.startedAt),
    ms: s.endedAt === undefined ? undefined : s.endedAt - s.startedAt,
  };
}

export function releaseView(
  r: (ReleaseSummary & { steps?: Step[] }) | ReleaseWithSteps | SummaryWithSteps,
): ReleaseView {
  return {
    id: r.id,
    kind: r.kind,
    service: r.service,
    environment: r.environment,
    namespace: r.namespace,
    version: r.version,
    outcome: r.outcome,
    message: r.message,
    actor: r.actor,
    startedAt: iso(r.startedAt),
    endedAt: r.endedAt === undefined ? undefined : iso(r.endedAt),
    durationMs: r.endedAt === undefined ? undefined : r.endedAt - r.startedAt,
    manifestDigest: r.manifestDigest,
    sourceRelease: r.sourceRelease,
    source: r.source,
    steps: (r.steps ?? []).map(stepView),
  };
}

export function isFinal(o: StepOutcome): o is FinalStepOutcome {
  return o !== 'running';
}
