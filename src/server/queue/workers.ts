// The workers of one server replica: up to N requests at once, each claimed from the queue with a
// lease (another replica's workers share the same queue). While a request runs its claim is
// renewed; a renewal that fails means another replica took it over (this one was thought dead),
// and the run is stopped and writes nothing more — every write names the claim's generation.
// A cancel asked through the API reaches the run at its next heartbeat. On shutdown: no new
// claims; running requests may finish within the grace period, then they are cancelled (the
// release reverts) — nothing is ever left running.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { QueuedRequest, RequestClaim } from '../../store/server-types.ts';
import type { ServerContext } from '../context.ts';
import { publish, requestEvent } from '../events.ts';
import { publishNotStarted } from './batch-end.ts';
import { runRequest } from './run-request.ts';

export interface WorkerOptions {
  workers: number;
  /** how long a claim lives without renewal: a dead replica's request is taken over after it */
  claimTtlMs: number;
  /** how often an idle worker looks for work it was not woken for (other replicas' requests) */
  idlePollMs: number;
}

interface Running {
  request: QueuedRequest;
  claim: RequestClaim;
  soft: AbortController;
  hard: AbortController;
  done: Promise<void>;
}

export class WorkerPool {
  readonly owner: string;
  private readonly ctx: ServerContext;
  private readonly opts: WorkerOptions;
  private readonly running = new Map<number, Running>();
  private stopping = false;
  private loops: Promise<void>[] = [];
  private wakers: (() => void)[] = [];

  constructor(ctx: ServerContext, opts: WorkerOptions) {
    this.ctx = ctx;
    this.opts = opts;
    this.owner = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  }

  get active(): number {
    return this.running.size;
  }

  start(): void {
    for (let i = 0; i < this.opts.workers; i++) this.loops.push(this.loop());
  }

  /** A new request is queued (or a pair freed): idle workers look now. */
  wake(): void {
    const w = this.wakers;
    this.wakers = [];
    for (const f of w) f();
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, this.opts.idlePollMs);
      this.wakers.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let r: QueuedRequest | undefined;
      try {
        r = await this.ctx.records.claimRequest(this.owner, this.opts.claimTtlMs, this.ctx.now());
      } catch (e) {
        this.ctx.log.warn(
          { error: e instanceof Error ? e.message : String(e) },
          'could not claim from the queue',
        );
      }
      if (!r) {
        await this.idle();
        continue;
      }
      await this.execute(r);
      // the pair is free again: its next request may run (here or on another worker)
      this.wake();
    }
  }

  private async execute(r: QueuedRequest): Promise<void> {
    const claim: RequestClaim = { id: r.id, owner: this.owner, generation: r.leaseGeneration };
    const soft = new AbortController();
    const hard = new AbortController();
    const { records, events, log, metrics } = this.ctx;
    let fenced = false;
    const beat = setInterval(
      () => {
        void (async () => {
          try {
            if (!(await records.renewClaim(claim, this.opts.claimTtlMs, this.ctx.now()))) {
              if (!fenced)
                log.warn(
                  { request: r.id, generation: claim.generation },
                  'lost the claim: another replica runs this request now',
                );
              fenced = true;
              soft.abort();
              hard.abort();
              return;
            }
            const now = await records.getRequest(r.id);
            if (now?.cancelRequested && !soft.signal.aborted) soft.abort();
          } catch (e) {
            log.warn(
              { request: r.id, error: e instanceof Error ? e.message : String(e) },
              'could not renew a claim',
            );
          }
        })();
      },
      Math.max(200, Math.floor(this.opts.claimTtlMs / 3)),
    );
    beat.unref();
    const entry: Running = { request: r, claim, soft, hard, done: Promise.resolve() };
    this.running.set(r.id, entry);
    publish(events, requestEvent('request.started', r));
    const t0 = this.ctx.now();
    entry.done = (async () => {
      const out = await runRequest(this.ctx, r, { signal: soft.signal, hardSignal: hard.signal }, (key) => {
        void records.setRequestRelease(claim, key).catch(() => undefined);
      });
      clearInterval(beat);
      if (fenced) return;
      if (!(await records.finishRequest(claim, out.state, out.message, this.ctx.now()))) {
        log.warn({ request: r.id }, 'the request was taken over: its outcome is not written');
        return;
      }
      metrics.releases.inc({ outcome: out.state, environment: r.environment });
      metrics.releaseSeconds.observe({ environment: r.environment }, (this.ctx.now() - t0) / 1000);
      const ended = await records.getRequest(r.id);
      if (ended) publish(events, requestEvent('request.finished', ended));
      if (ended) await publishNotStarted(this.ctx, ended);
    })().finally(() => {
      clearInterval(beat);
      this.running.delete(r.id);
    });
    await entry.done;
  }

  /** Stops claiming; lets running requests end within `graceMs`, then cancels them and waits. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.wake();
    const all = () => Promise.all([...this.running.values()].map((r) => r.done));
    const inTime = await Promise.race([
      all().then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), graceMs).unref()),
    ]);
    if (!inTime) {
      this.ctx.log.warn({ running: this.running.size }, 'grace period over: cancelling what still runs');
      for (const r of this.running.values()) r.soft.abort();
      await all();
    }
    await Promise.all(this.loops);
  }
}
