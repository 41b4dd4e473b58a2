// A preview removed: its in-cluster backing services (waiting until they and their claims are
// gone), every object ferry made for it (by its labels, every kind it renders,
// claims and Jobs included: a preview's data is its own), each service's database and role, and
// the namespace — only when ferry created it (its preview label names this pull request and the
// caller's record says so). A namespace ferry did not create keeps everything that is not ferry's.
// The release history stays in the store.
import { formatRef, refOf, type Cluster } from '../../cluster/types.ts';
import { KINDS } from '../../kinds.ts';
import type { LoadedApp } from '../../manifest/load.ts';
import { interpolate } from '../interpolate.ts';
import { derivePreviewEnvironment, previewsOf, type PullRequestRef } from '../../model/preview.ts';
import { resolveWorkload } from '../../model/resolve.ts';
import { LABEL_ENVIRONMENT, LABEL_MANAGED_BY, MANAGED_BY } from '../../render/kubernetes/labels.ts';
import { selectorString } from '../apply.ts';
import { removeBacking } from '../release/backing.ts';
import type { Engine } from '../config.ts';
import { LABEL_PREVIEW, previewServices } from './preview.ts';
import { platformOf } from './environments.ts';

export interface PreviewTeardownRequest {
  pr: PullRequestRef;
  /** where the preview was deployed (from its record: the template may have changed since) */
  namespace: string;
  /** the record says ferry created the namespace */
  createdNamespace: boolean;
}

export interface PreviewTeardownReport {
  /** the in-cluster backing objects removed (StatefulSets, Services, Secrets, claims) */
  backing: string[];
  deleted: string[];
  databases: string[];
  namespace: 'deleted' | 'kept' | 'absent';
  message: string;
}

const TEARDOWN_KINDS = KINDS.filter((k) => k.namespaced && (k.rendered || k.kind === 'Pod'));

export class PreviewTeardown {
  private readonly engine: Engine;
  private readonly app: LoadedApp;

  constructor(engine: Engine, app: LoadedApp) {
    this.engine = engine;
    this.app = app;
  }

  async run(r: PreviewTeardownRequest): Promise<PreviewTeardownReport> {
    const env = { ...derivePreviewEnvironment(platformOf(this.app), r.pr), namespace: r.namespace };
    const cluster = await this.engine.clusterFor(env.context);
    // the in-cluster backing services first, waiting until they (their claims too) are gone
    const backing = await removeBacking(cluster, env);
    const deleted = await this.deleteObjects(cluster, env.name, r.namespace);
    const databases = await this.dropDatabases(env, r.pr.number);
    const ns = await cluster.get({
      apiVersion: 'v1',
      kind: 'Namespace',
      name: r.namespace,
      namespace: undefined,
    });
    let namespace: PreviewTeardownReport['namespace'] = 'absent';
    if (ns) {
      const ours = r.createdNamespace && ns.metadata.labels?.[LABEL_PREVIEW] === String(r.pr.number);
      if (ours)
        await cluster.delete(refOf({ ...ns, apiVersion: 'v1', kind: 'Namespace' }), {
          propagation: 'Background',
        });
      namespace = ours ? 'deleted' : 'kept';
    }
    const message = [
      ...(backing.length ? [`backing services removed: ${backing.join(', ')}`] : []),
      `${deleted.length} objects deleted`,
      databases.length ? `dropped ${databases.join(', ')}` : 'no database',
      namespace === 'deleted'
        ? `namespace ${r.namespace} deleted`
        : namespace === 'kept'
          ? `namespace ${r.namespace} kept (ferry did not create it)`
          : `namespace ${r.namespace} was already gone`,
    ].join('; ');
    return { backing, deleted, databases, namespace, message };
  }

  private async deleteObjects(cluster: Cluster, environment: string, namespace: string): Promise<string[]> {
    const selector = selectorString({ [LABEL_MANAGED_BY]: MANAGED_BY, [LABEL_ENVIRONMENT]: environment });
    const deleted: string[] = [];
    // what watches and routes first, the data last: the reverse of apply order
    for (const k of [...TEARDOWN_KINDS].reverse()) {
      if (!(await cluster.serves(k.apiVersion, k.kind))) continue;
      for (const o of await cluster.list(k.apiVersion, k.kind, namespace, selector)) {
        const ref = refOf({ ...o, apiVersion: k.apiVersion, kind: k.kind });
        if (await cluster.delete(ref, { propagation: 'Background' }))
          deleted.push(formatRef({ ...ref, namespace: undefined }));
      }
    }
    return deleted;
  }

  private async dropDatabases(
    env: ReturnType<typeof derivePreviewEnvironment>,
    n: number,
  ): Promise<string[]> {
    const from = previewsOf(platformOf(this.app)).from;
    // an in-cluster PostgreSQL went with the backing services: nothing on the managed server
    if (!env.databaseAdmin || env.backing?.includes('postgres')) return [];
    const adminUrl = interpolate(env.databaseAdmin, `environments.${from}.database.admin`, this.engine.env);
    const out: string[] = [];
    const { dropPreviewPostgres } = await import('../provision/postgres-drop.ts');
    for (const service of previewServices(this.app)) {
      // any valid version: only the database names matter here
      const pg = resolveWorkload(this.app, service, from, 'teardown', env).features.postgres;
      if (pg) out.push(...(await dropPreviewPostgres(adminUrl, pg, n)));
    }
    return out;
  }
}
