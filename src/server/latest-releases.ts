// The newest release of every service/environment pair, for the matrix: one store read shared by
// every page until a release starts or ends (on this replica at once; on another one when its
// event arrives on the event hub) or the read is `maxAgeMs` old (a release recorded by the CLI
// on the same store sends no event). The read groups the whole release index — hundreds of ms
// with 100,000 releases on a busy machine (bench/server.ts) — so doing it once per page made the
// matrix miss its p99 target; a page now costs only its in-memory work.
import type { ReleaseSummary } from '../store/types.ts';

export class LatestReleases {
  private cached: { at: number; rows: Promise<ReleaseSummary[]> } | undefined;
  private readonly read: () => Promise<ReleaseSummary[]>;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(read: () => Promise<ReleaseSummary[]>, maxAgeMs: number, now: () => number = Date.now) {
    this.read = read;
    this.maxAgeMs = maxAgeMs;
    this.now = now;
  }

  /** The newest release of every pair (of one environment when given), sorted by service, environment. */
  async get(environment?: string): Promise<ReleaseSummary[]> {
    const now = this.now();
    if (!this.cached || now - this.cached.at >= this.maxAgeMs) {
      const rows = this.read();
      const entry = { at: now, rows };
      this.cached = entry;
      // a failed read is not kept: the next page reads again
      rows.catch(() => {
        if (this.cached === entry) this.cached = undefined;
      });
    }
    const rows = await this.cached.rows;
    return environment ? rows.filter((r) => r.environment === environment) : rows;
  }

  /** A release started or ended: the next page reads the store again. */
  invalidate(): void {
    this.cached = undefined;
  }
}
