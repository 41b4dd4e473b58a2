// Change events of the store: one for every write, numbered in the order this process made them,
// with the time of the change. Listeners are called synchronously and must not throw into the
// writer: a failing listener is dropped from that one delivery, never the write.
import type { AuditEntry, ReleaseKey, ReleaseSummary, Step } from './types.ts';

export type StoreEvent = { seq: number; at: number } & (
  | { type: 'release.started'; release: ReleaseSummary }
  | { type: 'release.finished'; release: ReleaseSummary }
  | { type: 'step.started'; key: ReleaseKey; step: Step }
  | { type: 'step.progress'; key: ReleaseKey; step: Step }
  | { type: 'step.ended'; key: ReleaseKey; step: Step }
  | { type: 'audit'; entry: AuditEntry }
);

export type StoreListener = (e: StoreEvent) => void;

export type Unnumbered = StoreEvent extends infer E
  ? E extends StoreEvent
    ? Omit<E, 'seq' | 'at'>
    : never
  : never;

export class StoreChanges {
  private seq = 0;
  private readonly listeners = new Set<StoreListener>();

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(e: Unnumbered, at: number): void {
    const event = { ...e, seq: ++this.seq, at } as StoreEvent;
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // a listener's failure is its own; the write it reports has happened
      }
    }
  }
}
