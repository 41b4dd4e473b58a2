// The store as the engine sees it: the driver's records plus the domain rules on top —
// history, the last successful release (what a revert or rollback re-applies), and taking over
// an expired lease (the release its dead holder was running becomes `interrupted`).
import { join } from 'node:path';
import { ReleaseNotFoundError } from './errors.ts';
import { SqliteDriver } from './sqlite.ts';
import type { Release, ReleaseOutcome, Step, StoreDriver } from './types.ts';

export interface ReleaseWithSteps extends Release {
  steps: Step[];
}

/** Where the embedded store lives: FERRY_STATE, else <dir>/.ferry/state.db. */
export function defaultStatePath(dir: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.FERRY_STATE ?? join(dir, '.ferry', 'state.db');
}

/**
 * Opens (and migrates) the store: a `postgres://` / `postgresql://` URL opens the PostgreSQL
 * driver (a team sharing one history); anything else is a SQLite file path.
 */
export async function openStore(path: string): Promise<Store> {
  if (/^postgres(ql)?:\/\//.test(path)) {
    const { PostgresDriver } = await import('./postgres.ts');
    const driver = new PostgresDriver(path);
    await driver.migrate();
    return new Store(driver);
  }
  const driver = new SqliteDriver(path);
  await driver.migrate();
  return new Store(driver);
}

export class Store {
  readonly driver: StoreDriver;
  constructor(driver: StoreDriver) {
    this.driver = driver;
  }

  close(): Promise<void> {
    return this.driver.close();
  }

  async release(id: number): Promise<ReleaseWithSteps> {
    const r = await this.driver.getRelease(id);
    if (!r) throw new ReleaseNotFoundError(id);
    return { ...r, steps: await this.driver.listSteps(id) };
  }

  /** Releases of one service in one environment, newest first, with their steps. */
  async history(service: string, environment: string, limit = 20): Promise<ReleaseWithSteps[]> {
    const rs = await this.driver.queryReleases({ service, environment, limit });
    return Promise.all(rs.map(async (r) => ({ ...r, steps: await this.driver.listSteps(r.id) })));
  }

  /** The newest succeeded release, optionally older than `before` (a release id). */
  async lastSuccessful(service: string, environment: string, before?: number): Promise<Release | undefined> {
    const rs = await this.driver.queryReleases({ service, environment, outcome: 'succeeded', limit: 200 });
    return rs.find((r) => before === undefined || r.id < before);
  }

  /** Kinds of every object any release of (service, environment) applied: what pruning must look at. */
  async kindsApplied(service: string, environment: string): Promise<Set<string>> {
    const rs = await this.driver.queryReleases({ service, environment, limit: 1000 });
    return new Set(rs.flatMap((r) => r.objects.map((o) => o.kind)));
  }

  /** Every service/environment pair that has releases, with its newest release. */
  async latestPerService(environment?: string): Promise<Release[]> {
    const rs = await this.driver.queryReleases({ ...(environment ? { environment } : {}), limit: 10_000 });
    const seen = new Map<string, Release>();
    for (const r of rs) {
      const k = `${r.service}\u0000${r.environment}`;
      if (!seen.has(k)) seen.set(k, r);
    }
    return [...seen.values()].sort(
      (a, b) => a.service.localeCompare(b.service) || a.environment.localeCompare(b.environment),
    );
  }

  /**
   * Marks a release whose process died as interrupted, with its running steps. Used when an
   * expired lease is taken over. Returns false when the release had already ended.
   */
  async markInterrupted(id: number, by: string, now: number): Promise<boolean> {
    const steps = await this.driver.listSteps(id);
    for (const s of steps) {
      if (s.outcome === 'running')
        await this.driver.finishStep(id, s.seq, 'interrupted', `taken over by ${by}`, now);
    }
    return this.driver.finishRelease(
      id,
      'interrupted',
      `the deploy process stopped; lease taken over by ${by}`,
      now,
    );
  }

  async finish(
    id: number,
    outcome: Exclude<ReleaseOutcome, 'running'>,
    message: string,
    now: number,
  ): Promise<void> {
    await this.driver.finishRelease(id, outcome, message, now);
  }
}
