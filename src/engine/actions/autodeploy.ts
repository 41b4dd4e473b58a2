// Auto-deploy as policy, not a loop (DESIGN.md §8): a pushed image is matched against every
// service × environment whose image it is; each pair's policy, its pause (a rollback, or a failed
// release) and its failed versions say whether the push deploys there. The server queues what
// this says to deploy; `ferry autodeploy status|resume` and the API read and lift pauses.
import { usageError } from '../../errors.ts';
import type { LoadedApp } from '../../manifest/load.ts';
import { autoDeployOf, describePolicy } from '../../model/autodeploy.ts';
import { resolveWorkload, serviceEnvironments } from '../../model/resolve.ts';
import type { Engine } from '../config.ts';
import { admit, isNewer, type PushedImage } from '../autodeploy/policy.ts';
import { parseRepository, sameRepository, type RepositoryName } from '../autodeploy/repository.ts';
import { RESUME_ACTION, autoDeployState, badImage, failedBefore, type Pause } from '../autodeploy/state.ts';
import { environmentOf, serviceOf } from './environments.ts';

export interface ImagePush extends PushedImage {
  repository: RepositoryName;
}

export interface AutoDeployDecision {
  service: string;
  environment: string;
  policy: string;
  current: string | undefined;
  deploy: boolean;
  /** what to deploy (a tag, or tag@digest), when deploy */
  version: string | undefined;
  why: string;
  /** the environment is protected: the deploy waits for approval */
  protected: boolean;
  approvals: number;
}

export interface AutoDeployStatus {
  service: string;
  environment: string;
  policy: string;
  /** where the policy was written: the service, the platform environment, or nobody (off) */
  from: 'service' | 'environment' | 'default';
  current: string | undefined;
  paused: Pause | undefined;
  /** failed versions, never tried again */
  failed: { version: string; release: number }[];
}

interface Pair {
  service: string;
  environment: string;
}

export class AutoDeploy {
  private readonly engine: Engine;
  private readonly app: LoadedApp;

  constructor(engine: Engine, app: LoadedApp) {
    this.engine = engine;
    this.app = app;
  }

  private pairs(filter: { service?: string; environment?: string } = {}): Pair[] {
    if (filter.service) serviceOf(this.app, filter.service);
    if (filter.environment) environmentOf(this.app, filter.environment);
    const out: Pair[] = [];
    for (const s of this.app.services) {
      if (filter.service && s.name !== filter.service) continue;
      for (const environment of serviceEnvironments(this.app, s))
        if (!filter.environment || environment === filter.environment)
          out.push({ service: s.name, environment });
    }
    return out;
  }

  /** The decision for one pair: policy, history, then the pause and the failed versions. */
  async decideFor(pair: Pair, push: PushedImage): Promise<AutoDeployDecision> {
    const { policy } = autoDeployOf(this.app, pair.service, pair.environment);
    const env = environmentOf(this.app, pair.environment);
    const state = await autoDeployState(await this.engine.store(), pair.service, pair.environment);
    const base = {
      ...pair,
      policy: describePolicy(policy),
      current: state.current,
      protected: env.protected,
      approvals: env.approvals,
    };
    const v = admit(policy, state.current, push);
    if (!v.deploy) return { ...base, deploy: false, version: undefined, why: v.why };
    const failed = failedBefore(state, v.version);
    if (failed !== undefined)
      return {
        ...base,
        deploy: false,
        version: undefined,
        why: `${v.version} failed here before (release ${failed}): a failed version is never retried`,
      };
    if (state.pause && !isNewer(badImage(state.pause), push))
      return {
        ...base,
        deploy: false,
        version: undefined,
        why: `auto-deploy is paused: ${state.pause.reason}; it resumes with a version newer than ${state.pause.badVersion}`,
      };
    const why = state.pause
      ? `${v.why}; newer than ${state.pause.badVersion}, which paused auto-deploy`
      : v.why;
    return { ...base, deploy: true, version: v.version, why };
  }

  /** Every pair the pushed repository runs in, with what the push does there. */
  async decide(push: ImagePush): Promise<AutoDeployDecision[]> {
    const out: AutoDeployDecision[] = [];
    for (const pair of this.pairs()) {
      const repo = this.repositoryOf(pair);
      if (!repo || !sameRepository(repo, push.repository)) continue;
      out.push(await this.decideFor(pair, push));
    }
    return out;
  }

  private repositoryOf(pair: Pair): RepositoryName | undefined {
    try {
      return parseRepository(resolveWorkload(this.app, pair.service, pair.environment, 'x').imageRepository);
    } catch {
      // a service whose manifest does not resolve here is not a deploy target; its deploy says why
      return undefined;
    }
  }

  async status(filter: { service?: string; environment?: string } = {}): Promise<AutoDeployStatus[]> {
    const store = await this.engine.store();
    const rows: AutoDeployStatus[] = [];
    for (const pair of this.pairs(filter)) {
      const a = autoDeployOf(this.app, pair.service, pair.environment);
      const s = await autoDeployState(store, pair.service, pair.environment);
      rows.push({
        ...pair,
        policy: describePolicy(a.policy),
        from: a.from,
        current: s.current,
        paused: s.pause,
        failed: [...s.failed].map(([version, release]) => ({ version, release })),
      });
    }
    return rows;
  }

  /** Lifts the pause of one pair (recorded in the audit); a pair that is not paused is left as it is. */
  async resume(o: { service: string; environment: string; actor: string }): Promise<{
    resumed: boolean;
    status: AutoDeployStatus;
  }> {
    const [before] = await this.status({ service: o.service, environment: o.environment });
    if (!before)
      throw usageError(
        'E_NOT_IN_ENV',
        `service "${o.service}" does not run in environment "${o.environment}"`,
        'its manifest lists the environments it runs in',
      );
    if (!before.paused) return { resumed: false, status: before };
    const store = await this.engine.store();
    await store.audit({
      at: this.engine.now(),
      actor: o.actor,
      action: RESUME_ACTION,
      service: o.service,
      environment: o.environment,
      releaseId: before.paused.release,
      detail: `resumed after: ${before.paused.reason}`,
    });
    const [after] = await this.status({ service: o.service, environment: o.environment });
    return { resumed: true, status: after ?? before };
  }
}
