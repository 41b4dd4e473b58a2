// One replica of the team server: the engine (the same actions the CLI runs) on a SQL store, the
// HTTP API, the workers that run the queue, the event stream and the live status. Start, and
// stop: on SIGTERM the replica stops taking work (/readyz turns 503), lets running requests end
// within the grace period, cancels what is left (reverting it), and closes.
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { Status } from '../engine/actions/status.ts';
import type { Engine } from '../engine/config.ts';
import type { Logger } from '../engine/log.ts';
import { FerryError } from '../errors.ts';
import { buildApp, allRoutes } from './app.ts';
import type { ProjectSource, ServerContext, ServerSettings } from './context.ts';
import { EventHub, publish, statusEvent, streamEvent } from './events.ts';
import { createMetrics } from './metrics.ts';
import type { Route } from './route.ts';
import { GitHubClient } from './github/client.ts';
import { startPreviewTimers } from './previews/sweep.ts';
import { StatusCache } from './status-cache.ts';
import { LatestReleases } from './latest-releases.ts';
import { WorkerPool } from './queue/workers.ts';

export interface RunningServer {
  url: string;
  ctx: ServerContext;
  workers: WorkerPool;
  /** stop taking work, let running requests end within the grace period, then close */
  stop(graceMs?: number): Promise<void>;
}

export async function startServer(opts: {
  engine: Engine;
  project: ProjectSource;
  settings: ServerSettings;
  log: Logger;
  routes?: readonly Route[];
  processMetrics?: boolean;
}): Promise<RunningServer> {
  const { engine, project, settings, log } = opts;
  const store = await engine.store();
  if (store.kind === 'kubernetes')
    throw new FerryError('E_STORE', 'the team server keeps its queue and tokens in PostgreSQL or SQLite', {
      hint: 'set FERRY_STATE to a postgres:// URL (a team) or a SQLite file',
    });
  const records = store.server();
  let stopping = false;
  const events = new EventHub(records, log, engine.now);
  const offStore = store.subscribe((e) => {
    const s = streamEvent(e);
    if (s) publish(events, s);
  });
  const ctxRef: { workers?: WorkerPool } = {};
  const status = new StatusCache(
    async () => new Status(engine, (await project.load()).app),
    log,
    (changed) => publish(events, statusEvent(changed)),
  );
  // read at most every 2 s: a release recorded by the CLI on the same store sends no event
  const latest = new LatestReleases(() => store.latestPerService(), 2_000, engine.now);
  const isRelease = (type: string) => type === 'release.started' || type === 'release.finished';
  const offLatest = store.subscribe((e) => {
    if (isRelease(e.type)) latest.invalidate();
  });
  const offLatestHub = events.subscribe((e) => {
    if (isRelease(e.type)) latest.invalidate();
  });
  const ctx: ServerContext = {
    engine,
    store,
    records,
    project,
    settings,
    events,
    status,
    latest,
    metrics: createMetrics({ processMetrics: opts.processMetrics ?? false }),
    github: settings.github?.token ? new GitHubClient(settings.github) : undefined,
    log,
    now: engine.now,
    wake: () => ctxRef.workers?.wake(),
    shuttingDown: () => stopping,
  };
  const workers = new WorkerPool(ctx, {
    workers: settings.workers,
    claimTtlMs: settings.claimTtlMs,
    idlePollMs: 1000,
  });
  ctxRef.workers = workers;
  await events.start(settings.eventPollMs);
  const app = buildApp(ctx, allRoutes(opts.routes));
  const http: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: settings.host, port: settings.port }, () => resolve(s));
  });
  const address = http.address() as AddressInfo;
  const url = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
  workers.start();
  // refresh the live status now and then, and at once when a release ends
  status.start(settings.statusRefreshMs);
  const offRefresh = store.subscribe((e) => {
    if (e.type === 'release.finished') void status.refresh();
  });
  const prune = setInterval(
    () => void records.pruneEvents(engine.now() - 86_400_000).catch(() => undefined),
    3_600_000,
  );
  prune.unref();
  const stopPreviews = startPreviewTimers(
    ctx,
    settings.previewSweepMs ?? 0,
    settings.github?.token ? (settings.previewResyncMs ?? 0) : 0,
  );
  log.info(
    { url, project: project.describe(), store: store.kind, workers: settings.workers },
    'ferry server listening',
  );
  return {
    url,
    ctx,
    workers,
    async stop(graceMs = settings.graceMs) {
      if (stopping) return;
      stopping = true;
      log.info({ graceMs, running: workers.active }, 'stopping: no new work, waiting for what runs');
      await workers.stop(graceMs);
      status.stop();
      clearInterval(prune);
      stopPreviews();
      offRefresh();
      offLatest();
      offLatestHub();
      await events.flushed();
      offStore();
      await events.stop();
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        // streams (SSE clients) do not end on their own
        (http as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await engine.close();
      log.info({}, 'stopped');
    },
  };
}
