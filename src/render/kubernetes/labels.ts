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
export const ANNOTATION_MANIFEST_DIGEST = 'ferry.dev/manifest-digest';
/** On CronJobs converted from a Chronos interval: the schedule as the manifest wrote it. */
export const ANNOTATION_SCHEDULE_SOURCE = 'ferry.dev/schedule-source';

/** On objects whose deletion loses data (PVCs): the engine must not prune them. */
export const ANNOTATION_PRUNE = 'ferry.dev/prune';
export const PRUNE_NEVER = 'never';

export type Component = 'web' | 'cron' | 'migration' | 'check';

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
    ...selectorLabels(w, component),
    ...pruneSelector(w.service, w.environment.name),
    [LABEL_VERSION]: version,
    [LABEL_VERSION_FERRY]: version,
  };
}

// Label values are computed once per workload and component (the renderer asks for them on
// every object); callers always get their own copy. A Workload is a value: render a changed copy
// (`{ ...w, version }`), never a mutated one.
const cache = new WeakMap<Workload, Partial<Record<Component, Record<string, string>>>>();

/** Every label ferry puts on an object (and on pod templates) of one component. */
export function objectLabels(w: Workload, component: Component): Record<string, string> {
  let byComponent = cache.get(w);
  if (!byComponent) cache.set(w, (byComponent = {}));
  const labels = (byComponent[component] ??= computeLabels(w, component));
  return { ...labels };
}

/** Annotations on every object (not pod templates: a manifest change alone must not restart pods). */
export function objectAnnotations(w: Workload): Record<string, string> {
  return { [ANNOTATION_MANIFEST_DIGEST]: w.manifestDigest };
}
