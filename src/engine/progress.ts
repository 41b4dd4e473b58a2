// The events an action reports while it runs, numbered in order within the run and stamped with
// the time: a release began, a step started, made progress or ended. Edges render them (the
// CLI's progress lines, the server's event stream).
import type { FinalStepOutcome, ReleaseKind, StepName } from '../store/types.ts';

export type ProgressEvent = { seq: number; at: number } & (
  | {
      type: 'release';
      releaseId: number;
      service: string;
      environment: string;
      version: string;
      kind: ReleaseKind;
    }
  | { type: 'step-start'; releaseId: number; service: string; environment: string; step: StepName }
  | {
      type: 'step-progress';
      releaseId: number;
      service: string;
      environment: string;
      step: StepName;
      message: string;
    }
  | {
      type: 'step-end';
      releaseId: number;
      service: string;
      environment: string;
      step: StepName;
      outcome: FinalStepOutcome;
      message: string;
      ms: number;
    }
);

/** An event before the run numbers it (the time may be given). */
export type Unsequenced = ProgressEvent extends infer E
  ? E extends ProgressEvent
    ? Omit<E, 'seq' | 'at'> & { at?: number }
    : never
  : never;

/** What an edge gives to receive a run's events. */
export type ProgressListener = (e: ProgressEvent) => void;

/** What the engine calls: the run numbers and stamps each event. */
export type ProgressSink = (e: Unsequenced) => void;
