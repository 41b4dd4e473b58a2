// The step runner: every step of a release is recorded in the store (start, end, outcome,
// message) and reported to the run's progress sink as it starts, progresses and ends. Steps run
// one at a time; the runner of the undo steps (revert, migrate-down) runs with a calm signal.
import type { Store } from '../../store/store.ts';
import type { FinalStepOutcome, ReleaseKey, Step, StepName } from '../../store/types.ts';
import { CancelledError } from '../errors.ts';
import type { ProgressSink } from '../progress.ts';

export interface StepContext {
  readonly signal: AbortSignal;
  /** a live progress line (e.g. "2/4 ready"): an event, not stored */
  progress(message: string): void;
}

export interface StepRecord {
  name: StepName;
  outcome: FinalStepOutcome;
  message: string;
  ms: number;
}

/** A step that ends with an outcome of its own choosing instead of succeeded/failed (a cancel that let a Job finish). */
export class StepOutcomeError extends Error {
  readonly outcome: FinalStepOutcome;
  readonly raise: Error;
  constructor(outcome: FinalStepOutcome, message: string, raise: Error) {
    super(message);
    this.outcome = outcome;
    this.raise = raise;
  }
}

export class StepRunner {
  readonly key: ReleaseKey;
  readonly done: StepRecord[];
  private readonly store: Store;
  private readonly sink: ProgressSink;
  readonly signal: AbortSignal;
  private readonly now: () => number;

  constructor(
    store: Store,
    key: ReleaseKey,
    sink: ProgressSink,
    signal: AbortSignal,
    now: () => number = Date.now,
    done: StepRecord[] = [],
  ) {
    this.store = store;
    this.key = key;
    this.sink = sink;
    this.signal = signal;
    this.now = now;
    this.done = done;
  }

  /** The same release's runner with another signal (the undo steps run when the first was aborted). */
  withSignal(signal: AbortSignal): StepRunner {
    return new StepRunner(this.store, this.key, this.sink, signal, this.now, this.done);
  }

  private where(): { releaseId: number; service: string; environment: string } {
    return { releaseId: this.key.id, service: this.key.service, environment: this.key.environment };
  }

  /**
   * Runs one step. `fn` returns the message to record (e.g. "4/4 ready"). A throw records the
   * step as failed (or cancelled when the signal fired) with the error's message, and rethrows.
   */
  async run(name: StepName, fn: (ctx: StepContext) => Promise<string | undefined>): Promise<void> {
    const started = this.now();
    const step = await this.begin(name, started);
    const ctx: StepContext = {
      signal: this.signal,
      progress: (message) => {
        this.store.progress(this.key, step, message, this.now());
        this.sink({ type: 'step-progress', ...this.where(), step: name, message });
      },
    };
    try {
      if (this.signal.aborted) throw new CancelledError();
      const message = (await fn(ctx)) ?? '';
      await this.end(step, 'succeeded', message, started);
    } catch (e) {
      if (e instanceof StepOutcomeError) {
        await this.end(step, e.outcome, e.message, started);
        throw e.raise;
      }
      const cancelled = this.signal.aborted || e instanceof CancelledError;
      const message = e instanceof Error ? e.message : String(e);
      await this.end(step, cancelled ? 'cancelled' : 'failed', message, started);
      throw cancelled && !(e instanceof CancelledError) ? new CancelledError(`cancelled during ${name}`) : e;
    }
  }

  /** Records a step that already happened (plan, done before the release existed). */
  async record(
    name: StepName,
    outcome: FinalStepOutcome,
    message: string,
    startedAt: number,
    endedAt: number,
  ): Promise<void> {
    const step = await this.begin(name, startedAt);
    await this.end(step, outcome, message, startedAt, endedAt);
  }

  /** Records a step that did not apply to this release (e.g. no migration declared). */
  async skip(name: StepName, why: string): Promise<void> {
    const t = this.now();
    await this.end(await this.begin(name, t), 'skipped', why, t);
  }

  private async begin(name: StepName, at: number): Promise<Step> {
    const step = await this.store.startStep(this.key, name, at);
    this.sink({ type: 'step-start', ...this.where(), step: name, at });
    return step;
  }

  private async end(
    step: Step,
    outcome: FinalStepOutcome,
    message: string,
    started: number,
    ended: number = this.now(),
  ): Promise<void> {
    await this.store.endStep(this.key, step, outcome, message, ended);
    this.done.push({ name: step.name, outcome, message, ms: ended - started });
    this.sink({
      type: 'step-end',
      ...this.where(),
      step: step.name,
      outcome,
      message,
      ms: ended - started,
      at: ended,
    });
  }
}
