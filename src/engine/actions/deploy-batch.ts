// Deploying several services to one environment: every target is planned first (names,
// versions, manifests and the policy of each), so a typo in the third target refuses the batch
// before the first deploy starts; then they deploy one after the other, and the batch stops at
// the first that does not succeed (the ones after it are not started).
import type { LoadedApp } from '../../manifest/load.ts';
import type { Engine } from '../config.ts';
import type { RunContext } from '../context.ts';
import type { ReleaseReport } from '../views.ts';
import { Deploy, type DeployRequest, type PlannedDeploy } from './deploy.ts';

export class DeployBatch {
  private readonly deploy: Deploy;

  constructor(engine: Engine, app: LoadedApp) {
    this.deploy = new Deploy(engine, app);
  }

  plan(requests: readonly DeployRequest[]): PlannedDeploy[] {
    return requests.map((r) => this.deploy.plan(r));
  }

  async run(
    planned: readonly PlannedDeploy[],
    run: RunContext,
    onReport: (r: ReleaseReport) => void = () => undefined,
  ): Promise<ReleaseReport[]> {
    const reports: ReleaseReport[] = [];
    for (const p of planned) {
      if (run.signal.aborted) break;
      const r = await this.deploy.run(p, run);
      reports.push(r);
      onReport(r);
      if (r.outcome !== 'succeeded') break;
    }
    return reports;
  }
}
