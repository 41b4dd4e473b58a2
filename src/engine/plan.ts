// The plan of one release: the workload resolved from the manifests and everything the engine
// will apply or run for it, rendered once. Refuses unknown services, environments or versions
// before anything touches the cluster (resolveWorkload throws invalid/not-found errors).
import type { KObject } from '../cluster/types.ts';
import type { LoadedApp } from '../manifest/load.ts';
import { resolveWorkload } from '../model/resolve.ts';
import type { Environment, Workload } from '../model/types.ts';
import { renderKubernetes, renderNamespace, type KubeObject } from '../render/kubernetes/index.ts';
import type { Verification } from '../store/types.ts';
import { withPodLabels, type PodLabel } from './pod-labels.ts';

export interface Plan {
  workload: Workload;
  /** the environment's Namespace when it asks ferry to create it */
  namespace: KObject | undefined;
  /** the apply set, kind-ordered: what a release stores and a rollback re-applies */
  objects: KObject[];
  migration: { up: KObject; down: KObject | undefined } | undefined;
  /** check Jobs, HTTP checks and the observation window: stored with the release */
  verification: Verification;
}

/** Plain JSON copy: rendered objects are typed; the cluster and the store take JSON. */
export function toKObject(o: KubeObject): KObject {
  return JSON.parse(JSON.stringify(o)) as KObject;
}

/** Where a plan is for: an environment of the platform by name, or one derived from it (a preview). */
export type PlanEnvironment = string | { base: string; environment: Environment };

export function planWorkload(
  app: LoadedApp,
  service: string,
  environment: PlanEnvironment,
  version: string,
  podLabels: readonly PodLabel[] = [],
): Plan {
  const workload =
    typeof environment === 'string'
      ? resolveWorkload(app, service, environment, version)
      : resolveWorkload(app, service, environment.base, version, environment.environment);
  const r = renderKubernetes(workload);
  const ns = renderNamespace(workload.environment);
  const label = (o: KubeObject) => withPodLabels(toKObject(o), podLabels);
  return {
    workload,
    namespace: ns ? toKObject(ns) : undefined,
    objects: r.objects.map(label),
    migration: r.migration
      ? { up: label(r.migration.up), down: r.migration.down ? label(r.migration.down) : undefined }
      : undefined,
    verification: {
      jobs: r.checks.map(label),
      http: workload.checks.flatMap((c) =>
        c.kind === 'http'
          ? [{ name: c.name, url: c.url, expect: c.expect, timeoutSeconds: c.timeoutSeconds }]
          : [],
      ),
      observeSeconds: workload.environment.observeSeconds,
    },
  };
}
