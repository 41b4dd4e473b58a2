// `ferry status`: services × environments × version × health, from the live cluster (the
// Deployment ferry manages) and the store (the newest release and its outcome).
import type { KObject } from '../cluster/types.ts';
import { LABEL_VERSION_FERRY, pruneSelector } from '../render/kubernetes/labels.ts';
import { selectorString } from './apply.ts';
import type { EngineDeps } from './context.ts';
import { deploymentHealth, replicaCounts } from './health/index.ts';

export interface StatusTarget {
  service: string;
  environment: string;
  namespace: string;
  context: string | undefined;
}

export interface StatusRow {
  service: string;
  environment: string;
  namespace: string;
  /** the version running in the cluster (its Deployment's ferry.dev/version), if any */
  liveVersion: string | undefined;
  health: 'healthy' | 'progressing' | 'failed' | 'suspended' | 'missing' | 'unknown';
  message: string;
  ready: string;
  /** the newest release in the store */
  release: { id: number; kind: string; version: string; outcome: string; at: string } | undefined;
}

export class Status {
  private readonly deps: Pick<EngineDeps, 'store' | 'clusterFor'>;
  readonly targets: readonly StatusTarget[];

  constructor(deps: Pick<EngineDeps, 'store' | 'clusterFor'>, targets: readonly StatusTarget[]) {
    this.deps = deps;
    this.targets = targets;
  }

  async run(): Promise<StatusRow[]> {
    const rows: StatusRow[] = [];
    for (const t of this.targets) {
      const [latest] = await this.deps.store.driver.queryReleases({
        service: t.service,
        environment: t.environment,
        limit: 1,
      });
      const release = latest && {
        id: latest.id,
        kind: latest.kind,
        version: latest.version,
        outcome: latest.outcome,
        at: new Date(latest.startedAt).toISOString(),
      };
      let deployments: KObject[];
      try {
        deployments = await this.deps
          .clusterFor(t.context)
          .list(
            'apps/v1',
            'Deployment',
            t.namespace,
            selectorString(pruneSelector(t.service, t.environment)),
          );
      } catch (e) {
        rows.push({
          ...t,
          liveVersion: undefined,
          health: 'unknown',
          message: e instanceof Error ? e.message : String(e),
          ready: '-',
          release,
        });
        continue;
      }
      const d = deployments[0];
      if (!d) {
        rows.push({
          ...t,
          liveVersion: undefined,
          health: 'missing',
          message: 'not deployed',
          ready: '-',
          release,
        });
        continue;
      }
      const h = deploymentHealth(d);
      const c = replicaCounts(d);
      rows.push({
        ...t,
        liveVersion: d.metadata.labels?.[LABEL_VERSION_FERRY],
        health: h.status,
        message: h.message,
        ready: `${c.ready}/${c.desired}`,
        release,
      });
    }
    return rows.map(({ context: _c, ...r }: StatusRow & { context?: string | undefined }) => r);
  }
}
