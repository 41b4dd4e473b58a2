// The live event stream: every change of the store (a release starts or ends, a step starts,
// makes progress or ends), of the queue (a request is queued, starts, ends) and of the live
// status (status.changed: the matrix cells whose health, version or drift moved) is persisted with
// a sequence number shared by every replica on one database, then delivered to the stream's
// clients in that order. A replica delivers what the database holds after the last number it
// delivered: its own events at once (it wakes itself on every append), the other replicas' within
// one poll. A client that reconnects with Last-Event-ID gets everything after it, so none is lost.
import type { StatusRow } from '../engine/actions/status.ts';
import type { Logger } from '../engine/log.ts';
import type { StoreEvent } from '../store/events.ts';
import type { PersistedEvent, QueuedRequest, ServerStoreDriver } from '../store/server-types.ts';

export type EventListener = (e: PersistedEvent) => void;

/** The data of a store event as the stream shows it: no object bodies, no audit. */
export function streamEvent(e: StoreEvent): { type: string; data: Record<string, unknown> } | undefined {
  switch (e.type) {
    case 'release.started':
    case 'release.finished':
      return { type: e.type, data: { release: e.release } };
    case 'step.started':
    case 'step.progress':
    case 'step.ended':
      return { type: e.type, data: { release: e.key, step: e.step } };
    case 'audit':
      return undefined;
  }
}

export function requestEvent(
  type: 'request.queued' | 'request.started' | 'request.finished' | 'request.updated',
  r: QueuedRequest,
) {
  return {
    type,
    data: {
      request: {
        id: r.id,
        kind: r.kind,
        service: r.service,
        environment: r.environment,
        state: r.state,
        release: r.release,
        message: r.message,
        requestedBy: r.requestedBy,
      },
    },
  };
}

export class EventHub {
  private readonly records: ServerStoreDriver;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly listeners = new Set<EventListener>();
  private delivered = 0;
  private timer: NodeJS.Timeout | undefined;
  private pumping: Promise<void> | undefined;
  private again = false;
  private appending: Promise<unknown> = Promise.resolve();

  constructor(records: ServerStoreDriver, log: Logger, now: () => number = Date.now) {
    this.records = records;
    this.log = log;
    this.now = now;
  }

  /** Starts delivering what is persisted from now on, polling every `pollMs` for other replicas. */
  async start(pollMs = 200): Promise<void> {
    this.delivered = await this.records.lastEventSeq();
    this.timer = setInterval(() => this.wake(), pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.appending;
    await this.pumping;
  }

  /** Persists an event (in the order appended), then delivers it. */
  append(type: string, data: Record<string, unknown>): void {
    this.appending = this.appending
      .then(() => this.records.appendEvent(type, data, this.now()))
      .then(
        () => this.wake(),
        (e: unknown) =>
          this.log.error(
            { error: e instanceof Error ? e.message : String(e), type },
            'could not persist an event',
          ),
      );
  }

  /** Waits until every event appended so far is persisted (tests, shutdown). */
  async flushed(): Promise<void> {
    await this.appending;
    await this.pump();
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get lastSeq(): number {
    return this.delivered;
  }

  /** What a reconnecting client missed: every event after `seq`, up to `limit`. */
  backlog(seq: number, limit = 10_000): Promise<PersistedEvent[]> {
    return this.records.eventsAfter(seq, limit);
  }

  private wake(): void {
    if (this.pumping) {
      this.again = true;
      return;
    }
    void this.pump();
  }

  private pump(): Promise<void> {
    this.pumping ??= (async () => {
      try {
        do {
          this.again = false;
          for (;;) {
            const batch = await this.records.eventsAfter(this.delivered, 500);
            for (const e of batch) {
              this.delivered = e.seq;
              for (const l of this.listeners) {
                try {
                  l(e);
                } catch {
                  // a client's failure is its own
                }
              }
            }
            if (batch.length < 500) break;
          }
        } while (this.again);
      } catch (e) {
        this.log.warn({ error: e instanceof Error ? e.message : String(e) }, 'could not read events');
      } finally {
        this.pumping = undefined;
      }
    })();
    return this.pumping;
  }
}

/** The cells of the matrix whose live state changed at the status cache's last read. */
export function statusEvent(rows: readonly StatusRow[]) {
  return {
    type: 'status.changed',
    data: {
      cells: rows.map((r) => ({
        service: r.service,
        environment: r.environment,
        ...(r.liveVersion ? { version: r.liveVersion } : {}),
        health: r.health,
        ready: r.ready,
        drift: r.drift,
        ...(r.message ? { message: r.message } : {}),
      })),
    },
  };
}

/** Appends an event made by requestEvent, streamEvent or statusEvent. */
export function publish(hub: EventHub, e: { type: string; data: Record<string, unknown> }): void {
  hub.append(e.type, e.data);
}
