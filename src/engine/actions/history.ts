// The releases of one service in one environment, newest first, with their steps, a page at a time;
// also the records of an environment's cut-over (`ferry history cutover --env prod`).
import type { LoadedApp } from '../../manifest/load.ts';
import type { Engine } from '../config.ts';
import { releaseView, type ReleaseView } from '../views.ts';
import { environmentOf, serviceOf } from './environments.ts';

export interface HistoryRequest {
  service: string;
  environment: string;
  limit: number;
  /** the id after which the page starts (a cursor from the previous page) */
  beforeId?: number;
}

export interface HistoryPage {
  releases: ReleaseView[];
  /** the cursor of the next page, when there is one */
  next: number | undefined;
}

/** The name an environment's cut-over is recorded under, when it has one. */
function cutoverName(app: LoadedApp, environment: string): string | undefined {
  const c = app.platform.manifest.cutover?.[environment];
  return c ? (c.name ?? 'cutover') : undefined;
}

export class History {
  private readonly engine: Engine;
  private readonly app: LoadedApp;

  constructor(engine: Engine, app: LoadedApp) {
    this.engine = engine;
    this.app = app;
  }

  async run(o: HistoryRequest): Promise<HistoryPage> {
    // the names are checked against the project, so a typo is refused instead of showing no releases;
    // an environment's cut-over is recorded under its own name (`cutover` unless it names one)
    environmentOf(this.app, o.environment);
    if (o.service !== cutoverName(this.app, o.environment)) serviceOf(this.app, o.service);
    const store = await this.engine.store();
    const rs = await store.history(o.service, o.environment, {
      limit: o.limit + 1,
      ...(o.beforeId !== undefined ? { beforeId: o.beforeId } : {}),
    });
    const page = rs.slice(0, o.limit);
    return { releases: page.map(releaseView), next: rs.length > o.limit ? page.at(-1)?.id : undefined };
  }
}
