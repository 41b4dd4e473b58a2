// The `kubernetes` render target: every workload of one environment as one stream of objects.
// Order: the Namespace (when the environment creates it) first, then every service's objects
// sorted together by kind order, namespace and name; with `jobs`, the migration and check Jobs
// of this version take the Job slot of that order. JSON is a v1 List, like `kubectl get -o json`.
import type { Environment, Workload } from '../../model/types.ts';
import { toKubeList } from '../serialize.ts';
import type { RenderOptions, RenderTarget } from '../target.ts';
import { renderKubernetes } from './index.ts';
import { renderNamespace } from './namespace.ts';
import type { KubeObject } from './object.ts';
import { sortObjects } from './order.ts';

export function renderEnvironment(
  env: Environment,
  workloads: readonly Workload[],
  opts: RenderOptions,
): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const w of workloads) {
    const r = renderKubernetes(w);
    objects.push(...r.objects);
    if (opts.jobs) {
      if (r.migration) objects.push(r.migration.up);
      objects.push(...r.checks);
    }
  }
  const ns = renderNamespace(env);
  return [...(ns ? [ns] : []), ...sortObjects(objects)];
}

export const kubernetesTarget: RenderTarget = {
  name: 'kubernetes',
  description: 'Kubernetes objects (apps/v1, batch/v1, networking.k8s.io/v1, …)',
  render: renderEnvironment,
  toJson: toKubeList,
};
