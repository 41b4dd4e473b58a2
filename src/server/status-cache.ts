// What runs where, for the API's matrix: the engine's Status action over every service in every
// environment (one list per namespace and kind), kept in memory and refreshed in the background
// — every few seconds, and at once when a release ends — so a page of the matrix is answered
// from memory, never by asking the cluster per cell. What changed since the read before is
// told to `onChange` (the server streams it as a status.changed event).
import type { Status, StatusRow } from '../engine/actions/status.ts';
import type { Logger } from '../engine/log.ts';

/** What the matrix shows of a row from the cluster (the release comes from the store). */
const liveState = (r: StatusRow): string =>
  JSON.stringify([r.liveVersion ?? null, r.health, r.ready, r.drift, r.message]);

export class StatusCache {
  private rows = new Map<string, StatusRow>();
  private refreshing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly status: () => Promise<Status>;
  private readonly log: Logger;
  private readonly onChange: ((changed: StatusRow[]) => void) | undefined;
  /** when the rows were last read */
  at = 0;

  /** `onChange` gets the rows whose live state (version, health, ready, drift, message) differs
   * from the read before (not called for the first read). */
  constructor(status: () => Promise<Status>, log: Logger, onChange?: (changed: StatusRow[]) => void) {
    this.status = status;
    this.log = log;
    this.onChange = onChange;
  }

  start(everyMs: number): void {
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Reads everything again (once at a time; a second call waits for the running one). */
  refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        const rows = await (await this.status()).run({});
        const before = this.rows;
        const first = this.at === 0;
        this.rows = new Map(rows.map((r) => [`${r.service}\u0000${r.environment}`, r]));
        this.at = Date.now();
        if (!first && this.onChange) {
          const changed = rows.filter((r) => {
            const b = before.get(`${r.service}\u0000${r.environment}`);
            return !b || liveState(b) !== liveState(r);
          });
          if (changed.length > 0) this.onChange(changed);
        }
      } catch (e) {
        this.log.warn(
          { error: e instanceof Error ? e.message : String(e) },
          'could not read the live status',
        );
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  row(service: string, environment: string): StatusRow | undefined {
    return this.rows.get(`${service}\u0000${environment}`);
  }

  get size(): number {
    return this.rows.size;
  }
}
