// The DORA figures of one environment (production by default) over a window, from the releases
// the store holds (as many as its retention keeps per service).
import { FerryError } from '../../errors.ts';
import type { LoadedApp } from '../../manifest/load.ts';
import type { ReleaseSummary } from '../../store/types.ts';
import type { Engine } from '../config.ts';
import { DEFAULT_INTERVENTION_MS, doraReport, type DoraReport } from '../dora/figures.ts';
import { environmentOf, platformOf } from './environments.ts';

export interface DoraRequest {
  /** default: the environment named prod or production */
  environment?: string;
  /** ms since the epoch; default 30 days before `to` */
  from?: number;
  /** ms since the epoch; default now */
  to?: number;
  service?: string;
  /** a rollback this soon after a deploy makes the deploy a failed change */
  interventionMs?: number;
}

export const DEFAULT_WINDOW_MS = 30 * 86_400_000;
const PAGE = 500;

/** The environment DORA figures are about when none is named. */
export function productionOf(app: LoadedApp): string {
  const names = platformOf(app).environments.map((e) => e.name);
  const name = names.find((n) => n === 'prod' || n === 'production');
  if (!name)
    throw new FerryError(
      'E_NO_DEFAULT_ENV',
      `no environment is named prod or production (${names.join(', ')})`,
      {
        hint: 'name the environment the figures are about',
      },
    );
  return name;
}

export class Dora {
  private readonly engine: Engine;
  private readonly app: LoadedApp;

  constructor(engine: Engine, app: LoadedApp) {
    this.engine = engine;
    this.app = app;
  }

  async run(o: DoraRequest): Promise<DoraReport> {
    const environment = o.environment ?? productionOf(this.app);
    environmentOf(this.app, environment);
    const to = o.to ?? this.engine.now();
    const from = o.from ?? to - DEFAULT_WINDOW_MS;
    const store = await this.engine.store();
    const releases: ReleaseSummary[] = [];
    // newest first; a release that started before the window may still have ended in it, and the
    // one before the window tells whether the first change in it follows a failure
    let before: number | undefined;
    let older = 0;
    for (;;) {
      const page = await store.releases({
        environment,
        ...(o.service ? { service: o.service } : {}),
        ...(before !== undefined ? { beforeId: before } : {}),
        limit: PAGE,
      });
      releases.push(...page.items);
      older += page.items.filter((r) => r.startedAt < from - 86_400_000).length;
      if (page.next === undefined || older > 0) break;
      before = page.next;
    }
    return doraReport(environment, releases, { from, to }, o.interventionMs ?? DEFAULT_INTERVENTION_MS);
  }
}
