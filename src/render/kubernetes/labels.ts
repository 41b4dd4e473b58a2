// The labels and annotations on everything ferry renders. The deploy engine prunes by
// `app.kubernetes.io/managed-by=ferry,ferry.dev/service=…,ferry.dev/environment=…`; selectors never
// include the version (selectors are immutable and the version changes on every deploy).
import type { Workload } from '../../model/types.ts';
import { labelValue } from './names.ts';

export const LABEL_NAME = 'app.kubernetes.io/name';
export const LABEL_INSTANCE = 'app.kubernetes.io/instance';
export const LABEL_VERSION = 'app.kubernetes.io/version';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const LABEL_COMPONENT = 'app.kubernetes.io/component';
export const LABEL_SERVICE = 'ferry.dev/service';
export const LABEL_ENVIRONMENT = 'ferry.dev/environment';
export const LABEL_VERSION_FERRY = 'ferry.dev/version';
export const MANAGED_BY = 'ferry';
/**
 * On pod templates that read ConfigMaps or Secrets ferry renders in the same set: a digest of
 * those objects' data, so a config change rolls the pods and nothing else does.
 */
export const ANNOTATION_CONFIG_DIGEST = 'ferry.dev/config-digest';
/** On CronJobs converted from a Chronos interval: the schedule as the manifest wrote it. */
export const ANNOTATION_SCHEDULE_SOURCE = 'ferry.dev/schedule-source';

/** On objects whose deletion loses data (PVCs): the engine must not prune them. */
export const ANNOTATION_PRUNE = 'ferry.dev/prune';
export const PRUNE_NEVER = 'never';

export type Component = 'web' | 'cron' | 'migration' | 'check';

/**
 * The metadata of a workload object (Deployment, DaemonSet, CronJob): the manifest's `workload:`
 * labels and annotations under ferry's own labels.
 */
export function workloadMetadata(
  w: Workload,
  component: Component,
): { labels: Record<string, string>; annotations?: Record<string, string> } {
  const labels = { ...w.workloadMeta.labels, ...objectLabels(w, component) };
  const a = w.workloadMeta.annotations;
  return Object.keys(a).length > 0 ? { labels, annotations: { ...a } } : { labels };
}

/** The labels that select a workload's objects for pruning. */
export function pruneSelector(service: string, environment: string): Record<string, string> {
  return {
    [LABEL_MANAGED_BY]: MANAGED_BY,
    [LABEL_SERVICE]: labelValue(service),
    [LABEL_ENVIRONMENT]: labelValue(environment),
  };
}

/** The immutable selector of a workload's pods of one component (no version). */
export function selectorLabels(w: Workload, component: Component): Record<string, string> {
  return {
    [LABEL_NAME]: labelValue(w.service),
    [LABEL_INSTANCE]: labelValue(`${w.service}-${w.environment.name}`),
    [LABEL_COMPONENT]: component,
  };
}

function computeLabels(w: Workload, component: Component): Record<string, string> {
  const version = labelValue(w.version);
  return {
    ...staticLabels(w, component),
    [LABEL_VERSION]: version,
    [LABEL_VERSION_FERRY]: version,
  };
}

/**
 * The labels of objects that do not run the image (Service, Ingress, PDB, HPA, PVC, rules,
 * ExternalSecret): no version, so a deploy of a new version leaves them unchanged.
 */
export function staticLabels(w: Workload, component: Component): Record<string, string> {
  return { ...selectorLabels(w, component), ...pruneSelector(w.service, w.environment.name) };
}

// Label values are computed once per workload and component (the renderer asks for them on
// every object); callers always get their own copy. A Workload is a value: render a changed copy
// (`{ ...w, version }`), never a mutated one.
const cache = new WeakMap<Workload, Partial<Record<Component, Record<string, string>>>>();

/** The labels of objects that run the image (workloads, Jobs) and of their pod templates. */
export function objectLabels(w: Workload, component: Component): Record<string, string> {
  let byComponent = cache.get(w);
  if (!byComponent) cache.set(w, (byComponent = {}));
  const labels = (byComponent[component] ??= computeLabels(w, component));
  return { ...labels };
}
