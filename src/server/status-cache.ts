// What runs where, for the API's matrix: the engine's Status action over every service in every
// environment (one list per namespace and kind), kept in memory and refreshed in the background
// — every few seconds, and at once when a release ends — so a page of the matrix is answered
// from memory, never by asking the cluster per cell.
import type { Status, StatusRow } from '../engine/actions/status.ts';
import type { Logger } from '../engine/log.ts';

export class StatusCache {
  private rows = new Map<string, StatusRow>();
  private refreshing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly status: () => Promise<Status>;
  private readonly log: Logger;
  /** when the rows were last read */
  at = 0;

  constructor(status: () => Promise<Status>, log: Logger) {
    this.status = status;
    this.log = log;
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
        this.rows = new Map(rows.map((r) => [`${r.service}\u0000${r.environment}`, r]));
        this.at = Date.now();
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
