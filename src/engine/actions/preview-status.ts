// What runs in one pull request's preview, service by service: its public URL (the first public
// route, with the preview's derived host), the version and health of the live workload in the
// preview's namespace (one list per workload kind), and the newest release of the derived
// environment in the store. The previews page shows it; the preview needs no namespace yet
// (a preview that waits for its image has every service `missing`).
import type { KObject } from '../../cluster/types.ts';
import type { LoadedApp } from '../../manifest/load.ts';
import { derivePreviewEnvironment, previewsOf, type PullRequestRef } from '../../model/preview.ts';
import { resolveWorkload } from '../../model/resolve.ts';
import type { Environment } from '../../model/types.ts';
import {
  LABEL_ENVIRONMENT,
  LABEL_MANAGED_BY,
  LABEL_SERVICE,
  LABEL_VERSION_FERRY,
  MANAGED_BY,
} from '../../render/kubernetes/labels.ts';
import { labelValue } from '../../render/kubernetes/names.ts';
import type { Engine } from '../config.ts';
import { objectHealth } from '../health/index.ts';
import { releaseView, type ReleaseView } from '../views.ts';
import { platformOf } from './environments.ts';
import { previewServices } from './preview.ts';

export interface PreviewServiceRow {
  service: string;
  url: string | undefined;
  liveVersion: string | undefined;
  health: 'healthy' | 'progressing' | 'failed' | 'suspended' | 'missing' | 'unknown';
  message: string;
  release: ReleaseView | undefined;
}

export interface PreviewStatusReport {
  /** the environment previews copy: who may deploy it may remove a preview */
  from: string;
  environment: Environment;
  services: PreviewServiceRow[];
}

const KINDS = [
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet' },
] as const;

/** The public URL of a preview service: its first public route under the derived host. */
export function previewServiceUrl(
  app: LoadedApp,
  service: string,
  from: string,
  env: Environment,
): string | undefined {
  const route = resolveWorkload(app, service, from, 'url', env).routes.find((r) => r.public);
  if (!route) return undefined;
  return `${env.tls.kind === 'none' ? 'http' : 'https'}://${route.host}${route.path === '/' ? '' : route.path}`;
}

export async function previewStatus(
  engine: Engine,
  app: LoadedApp,
  pr: PullRequestRef,
): Promise<PreviewStatusReport> {
  const platform = platformOf(app);
  const from = previewsOf(platform).from;
  const env = derivePreviewEnvironment(platform, pr);
  const services = previewServices(app);
  let live: KObject[] | Error;
  try {
    const cluster = await engine.clusterFor(env.context);
    live = (
      await Promise.all(
        KINDS.map(async (k) =>
          (await cluster.list(k.apiVersion, k.kind, env.namespace, `${LABEL_MANAGED_BY}=${MANAGED_BY}`)).map(
            (o) => ({ ...o, apiVersion: k.apiVersion, kind: k.kind }),
          ),
        ),
      )
    ).flat();
  } catch (e) {
    live = e instanceof Error ? e : new Error(String(e));
  }
  const store = await engine.store();
  const latest = new Map((await store.latestPerService(env.name)).map((r) => [r.service, r]));
  return {
    from,
    environment: env,
    services: services.map((service) => {
      const summary = latest.get(service);
      const base = {
        service,
        url: previewServiceUrl(app, service, from, env),
        release: summary && releaseView(summary),
      };
      if (live instanceof Error)
        return { ...base, liveVersion: undefined, health: 'unknown', message: live.message };
      const workload = live.find(
        (o) =>
          o.metadata.labels?.[LABEL_SERVICE] === labelValue(service) &&
          o.metadata.labels?.[LABEL_ENVIRONMENT] === labelValue(env.name),
      );
      if (!workload) return { ...base, liveVersion: undefined, health: 'missing', message: 'not deployed' };
      const h = objectHealth(workload);
      return {
        ...base,
        liveVersion: workload.metadata.labels?.[LABEL_VERSION_FERRY],
        health: h.status,
        message: h.message,
      };
    }),
  };
}
