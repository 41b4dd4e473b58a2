// The plan of one release: the workload resolved from the manifests and everything the engine
// will apply or run for it, rendered once. Refuses unknown services, environments or versions
// before anything touches the cluster (resolveWorkload throws invalid/not-found errors).
import type { KObject } from '../cluster/types.ts';
import type { LoadedApp } from '../manifest/load.ts';
import { resolveWorkload } from '../model/resolve.ts';
import type { Workload } from '../model/types.ts';
import { renderKubernetes, renderNamespace, type KubeObject } from '../render/kubernetes/index.ts';
import { withPodLabels, type PodLabel } from './pod-labels.ts';

export interface HttpCheck {
  name: string;
  url: string;
  expect: number;
  timeoutSeconds: number;
}

export interface Plan {
  workload: Workload;
  /** the environment's Namespace when it asks ferry to create it */
  namespace: KObject | undefined;
  /** the apply set, kind-ordered: what a release stores and a rollback re-applies */
  objects: KObject[];
  migration: { up: KObject; down: KObject | undefined } | undefined;
  checks: KObject[];
  httpChecks: HttpCheck[];
}

/** Plain JSON copy: rendered objects are typed; the cluster and the store take JSON. */
export function toKObject(o: KubeObject): KObject {
  return JSON.parse(JSON.stringify(o)) as KObject;
}

export function planWorkload(
  app: LoadedApp,
  service: string,
  environment: string,
  version: string,
  podLabels: readonly PodLabel[] = [],
): Plan {
  const workload = resolveWorkload(app, service, environment, version);
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
    checks: r.checks.map(label),
    httpChecks: workload.checks.flatMap((c) =>
      c.kind === 'http'
        ? [{ name: c.name, url: c.url, expect: c.expect, timeoutSeconds: c.timeoutSeconds }]
        : [],
    ),
  };
}
