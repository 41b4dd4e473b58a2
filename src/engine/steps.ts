// The step runner: every step of a release is recorded in the store (start, end, outcome,
// message) and reported as progress events for the terminal. Steps run one at a time.
import type { Store } from '../store/store.ts';
import type { StepOutcome } from '../store/types.ts';
import { CancelledError } from './errors.ts';

export type ProgressEvent =
  | {
      type: 'release';
      releaseId: number;
      service: string;
      environment: string;
      version: string;
      kind: string;
    }
  | { type: 'step-start'; releaseId: number; step: string }
  | { type: 'step-progress'; releaseId: number; step: string; message: string }
  | {
      type: 'step-end';
      releaseId: number;
      step: string;
      outcome: Exclude<StepOutcome, 'running'>;
      message: string;
      ms: number;
    };

export type ProgressListener = (e: ProgressEvent) => void;

export interface StepContext {
  readonly signal: AbortSignal;
  /** a live progress line (e.g. "2/4 ready"); not stored */
  progress(message: string): void;
}

export interface StepRecord {
  name: string;
  outcome: Exclude<StepOutcome, 'running'>;
  message: string;
  ms: number;
}

export class StepRunner {
  readonly releaseId: number;
  readonly done: StepRecord[] = [];
  private readonly store: Store;
  private readonly emit: ProgressListener;
  private readonly signal: AbortSignal;
  private readonly now: () => number;

  constructor(
    store: Store,
    releaseId: number,
    emit: ProgressListener,
    signal: AbortSignal,
    now: () => number = Date.now,
  ) {
    this.store = store;
    this.releaseId = releaseId;
    this.emit = emit;
    this.signal = signal;
    this.now = now;
  }

  /**
   * Runs one step. `fn` returns the message to record (e.g. "4/4 ready"). A throw records the
   * step as failed (or cancelled when the signal fired) with the error's message, and rethrows.
   */
  async run(name: string, fn: (ctx: StepContext) => Promise<string | undefined>): Promise<void> {
    const started = this.now();
    const step = await this.store.driver.insertStep(this.releaseId, name, started);
    this.emit({ type: 'step-start', releaseId: this.releaseId, step: name });
    const ctx: StepContext = {
      signal: this.signal,
      progress: (message) =>
        this.emit({ type: 'step-progress', releaseId: this.releaseId, step: name, message }),
    };
    try {
      if (this.signal.aborted) throw new CancelledError();
      const message = (await fn(ctx)) ?? '';
      await this.end(step.seq, name, 'succeeded', message, started);
    } catch (e) {
      const cancelled = this.signal.aborted || e instanceof CancelledError;
      const message = e instanceof Error ? e.message : String(e);
      await this.end(step.seq, name, cancelled ? 'cancelled' : 'failed', message, started);
      throw cancelled && !(e instanceof CancelledError) ? new CancelledError(`cancelled during ${name}`) : e;
    }
  }

  /** Records a step that already happened (e.g. plan and lock, done before the release existed). */
  async record(
    name: string,
    outcome: Exclude<StepOutcome, 'running'>,
    message: string,
    startedAt: number,
  ): Promise<void> {
    const step = await this.store.driver.insertStep(this.releaseId, name, startedAt);
    this.emit({ type: 'step-start', releaseId: this.releaseId, step: name });
    await this.end(step.seq, name, outcome, message, startedAt);
  }

  /** Records a step that did not apply to this release (e.g. no migration declared). */
  async skip(name: string, why: string): Promise<void> {
    const t = this.now();
    const step = await this.store.driver.insertStep(this.releaseId, name, t);
    this.emit({ type: 'step-start', releaseId: this.releaseId, step: name });
    await this.end(step.seq, name, 'skipped', why, t);
  }

  private async end(
    seq: number,
    name: string,
    outcome: Exclude<StepOutcome, 'running'>,
    message: string,
    started: number,
  ): Promise<void> {
    const ended = this.now();
    await this.store.driver.finishStep(this.releaseId, seq, outcome, message, ended);
    this.done.push({ name, outcome, message, ms: ended - started });
    this.emit({
      type: 'step-end',
      releaseId: this.releaseId,
      step: name,
      outcome,
      message,
      ms: ended - started,
    });
  }
}
