// Deploying several services to one environment: every target is planned first (names,
// versions, manifests and the policy of each), so a typo in the third target refuses the batch
// before the first deploy starts; then up to `parallel` deploy at once, each a locked and recorded
// release as when deployed alone, in the order of their services' `after:` lists. The batch rule
// (batch-schedule.ts): when a release does not succeed nothing new starts, the running ones finish,
// and the rest are reported as not started (behind the failed one, or stopped).
import type { LoadedApp } from '../../manifest/load.ts';
import type { Engine } from '../config.ts';
import type { RunContext } from '../context.ts';
import type { ReleaseReport } from '../views.ts';
import { DEFAULT_PARALLEL, runBatch, type BatchJob } from './batch-schedule.ts';
import { Deploy, type DeployRequest, type PlannedDeploy } from './deploy.ts';

export interface NotStartedDeploy {
  service: string;
  version: string;
  reason: 'dependency' | 'stopped';
  /** with `dependency`: the service it comes after that failed or did not start */
  blockedBy?: string;
}

export interface BatchReport {
  /** one per release that ran, in the order the targets were given */
  releases: ReleaseReport[];
  notStarted: NotStartedDeploy[];
}

export class DeployBatch {
  private readonly engine: Engine;
  private readonly app: LoadedApp;
  private readonly deploy: Deploy;

  constructor(engine: Engine, app: LoadedApp) {
    this.engine = engine;
    this.app = app;
    this.deploy = new Deploy(engine, app);
  }

  plan(requests: readonly DeployRequest[]): PlannedDeploy[] {
    return requests.map((r) => this.deploy.plan(r));
  }

  /** the batch's jobs for the schedule: each target with its service's `after:` list */
  jobs(planned: readonly PlannedDeploy[]): BatchJob[] {
    return planned.map((p) => ({
      service: p.request.service,
      after: this.app.services.find((s) => s.name === p.request.service)?.manifest.after ?? [],
    }));
  }

  async run(
    planned: readonly PlannedDeploy[],
    run: RunContext,
    opts: { parallel?: number; onReport?: (r: ReleaseReport) => void } = {},
  ): Promise<BatchReport> {
    const jobs = this.jobs(planned);
    const outcome = await runBatch<ReleaseReport>(jobs, {
      parallel: opts.parallel ?? DEFAULT_PARALLEL,
      stopped: () => run.signal.aborted,
      succeeded: (r) => r.outcome === 'succeeded',
      start: async (i) => {
        // planned again as it starts (the same inputs, so the same plan; every target was checked
        // up front): the release's plan step and start time are when it really began
        const r = await this.deploy.run(this.deploy.plan(planned[i]!.request), run);
        opts.onReport?.(r);
        return r;
      },
    });
    return {
      releases: outcome.results.map((r) => r.result),
      notStarted: outcome.notStarted.map((n) => ({
        service: planned[n.index]!.request.service,
        version: planned[n.index]!.request.version,
        reason: n.reason,
        ...(n.blockedBy !== undefined ? { blockedBy: n.blockedBy } : {}),
      })),
    };
  }
}
