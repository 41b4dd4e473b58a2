// A pull request's preview, deployed: the namespace (created by ferry and labelled as its own,
// or one that already exists, which ferry then never deletes), the environment's ONE wildcard
// certificate copied into it, the in-cluster backing services the services need (backingServices)
// started and Ready, then every preview service deployed through the same Deploy as any
// environment (kind `preview`: provision makes the preview's own database, migrations run, the
// rollout is tracked). Services deploy a few at a time; each is its own release.
import type { Cluster, KObject } from '../../cluster/types.ts';
import { FerryError } from '../../errors.ts';
import type { LoadedApp } from '../../manifest/load.ts';
import { derivePreviewEnvironment, previewsOf, type PullRequestRef } from '../../model/preview.ts';
import { backingForAll } from '../../model/backing.ts';
import { resolveWorkload, serviceEnvironments } from '../../model/resolve.ts';
import type { Environment } from '../../model/types.ts';
import { LABEL_ENVIRONMENT, LABEL_MANAGED_BY, MANAGED_BY } from '../../render/kubernetes/labels.ts';
import type { Engine } from '../config.ts';
import type { RunContext } from '../context.ts';
import { ensureBacking } from '../release/backing.ts';
import type { ReleaseReport } from '../views.ts';
import { Deploy } from './deploy.ts';
import { environmentOf, platformOf } from './environments.ts';

/** On a namespace ferry created for a preview: the pull request's number. Teardown deletes only such a one. */
export const LABEL_PREVIEW = 'ferry.dev/preview';

export interface PreviewDeployRequest {
  pr: PullRequestRef;
  version: string;
  /** services deployed at once */
  parallel?: number;
  waitLockMs?: number;
  source?: { commit?: string; ref?: string };
}

export interface PreviewDeployReport {
  environment: Environment;
  /** ferry created the namespace now or earlier (it carries ferry's preview label) */
  createdNamespace: boolean;
  tls: string;
  /** the in-cluster backing services started (empty: none) */
  backing: string;
  releases: ReleaseReport[];
  outcome: 'succeeded' | 'failed';
}

/** The services of a preview: previews.services, or every service that runs in `from`. */
export function previewServices(app: LoadedApp): string[] {
  const p = previewsOf(platformOf(app));
  environmentOf(app, p.from);
  const inFrom = app.services.filter((s) => serviceEnvironments(app, s).includes(p.from)).map((s) => s.name);
  if (!p.services) return inFrom;
  for (const s of p.services)
    if (!inFrom.includes(s))
      throw new FerryError(
        'E_NOT_IN_ENV',
        `previews.services names "${s}", which does not run in ${p.from}`,
        {
          hint: `the services of ${p.from}: ${inFrom.join(', ') || 'none'}`,
        },
      );
  return [...p.services];
}

const namespaceRef = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', name, namespace: undefined });

/** Creates the preview's namespace when it does not exist; true when it is ferry's (labelled for this PR). */
export async function ensurePreviewNamespace(
  cluster: Cluster,
  env: Environment,
  n: number,
): Promise<boolean> {
  const live = await cluster.get(namespaceRef(env.namespace));
  if (live) return live.metadata.labels?.[LABEL_PREVIEW] === String(n);
  await cluster.apply({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: env.namespace,
      labels: { [LABEL_MANAGED_BY]: MANAGED_BY, [LABEL_ENVIRONMENT]: env.name, [LABEL_PREVIEW]: String(n) },
    },
  });
  return true;
}

/** Copies the wildcard certificate's Secret from the `from` namespace (data and type only). */
async function copyTls(cluster: Cluster, from: Environment, env: Environment): Promise<string> {
  if (env.tls.kind !== 'wildcard') return env.tls.kind === 'none' ? 'no TLS' : 'TLS by cert-manager';
  const name = env.tls.secretName;
  const source = await cluster.get({ apiVersion: 'v1', kind: 'Secret', name, namespace: from.namespace });
  if (!source)
    return `Secret ${name} is not in ${from.namespace}: the preview's Ingresses have no certificate`;
  const copy: KObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name,
      namespace: env.namespace,
      // no cert-manager annotations: the copy is not a Certificate's secret (cert-manager#4210)
      labels: { [LABEL_MANAGED_BY]: MANAGED_BY, [LABEL_ENVIRONMENT]: env.name },
      annotations: { 'ferry.dev/copied-from': `${from.namespace}/${name}` },
    },
    type: (source.type as string | undefined) ?? 'kubernetes.io/tls',
    data: (source.data as Record<string, string> | undefined) ?? {},
  };
  await cluster.apply(copy);
  return `Secret ${name} copied from ${from.namespace}`;
}

export class PreviewDeploy {
  private readonly engine: Engine;
  private readonly app: LoadedApp;

  constructor(engine: Engine, app: LoadedApp) {
    this.engine = engine;
    this.app = app;
  }

  /** Refuses, before the cluster is touched, what cannot deploy: no previews, unknown services, a bad version. */
  plan(r: PreviewDeployRequest): { environment: Environment; services: string[] } {
    const platform = platformOf(this.app);
    const environment = derivePreviewEnvironment(platform, r.pr);
    const services = previewServices(this.app);
    const from = previewsOf(platform).from;
    const deploy = new Deploy(this.engine, this.app);
    for (const service of services)
      deploy.plan({ service, environment: from, derived: environment, version: r.version, kind: 'preview' });
    return { environment, services };
  }

  async run(
    r: PreviewDeployRequest,
    run: RunContext,
    onReport: (report: ReleaseReport) => void = () => undefined,
  ): Promise<PreviewDeployReport> {
    const { environment, services } = this.plan(r);
    const from = environmentOf(this.app, previewsOf(platformOf(this.app)).from);
    const cluster = await this.engine.clusterFor(environment.context);
    this.engine.place(environment);
    const createdNamespace = await ensurePreviewNamespace(cluster, environment, r.pr.number);
    const tls = await copyTls(cluster, from, environment);
    // every service's in-cluster backing services, Ready before the first service deploys (a
    // shared broker is started once, not by services racing for its credentials)
    const instances = backingForAll(
      services.map((s) => resolveWorkload(this.app, s, from.name, r.version, environment)),
    );
    const backing = await ensureBacking(cluster, environment, instances, { signal: run.signal });
    const deploy = new Deploy(this.engine, this.app);
    const releases: ReleaseReport[] = [];
    const queue = [...services];
    const worker = async () => {
      for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
        if (run.signal.aborted) return;
        const report = await deploy.run(
          {
            service: s,
            environment: from.name,
            derived: environment,
            version: r.version,
            kind: 'preview',
            waitLockMs: r.waitLockMs ?? 60_000,
            ...(r.source ? { source: r.source } : {}),
          },
          run,
        );
        releases.push(report);
        onReport(report);
      }
    };
    await Promise.all(
      Array.from({ length: Math.max(1, Math.min(r.parallel ?? 8, services.length)) }, worker),
    );
    releases.sort((a, b) => (a.service < b.service ? -1 : 1));
    const ok = releases.length === services.length && releases.every((x) => x.outcome === 'succeeded');
    return {
      environment,
      createdNamespace,
      tls,
      backing,
      releases,
      outcome: ok ? 'succeeded' : 'failed',
    };
  }
}
