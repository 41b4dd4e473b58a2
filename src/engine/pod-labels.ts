// Extra pod labels: `[component:]key=value`, added to the pod templates of rendered objects
// (Deployment, Job, CronJob) before they are applied and stored. For users: opt-in labels a
// cluster keys on (sidecar injection, cost allocation) without editing the manifest. For tests:
// the local cluster's fault stages select pods by `ferry.dev/fault` (e.g.
// `web:ferry.dev/fault=never-ready`). From `--pod-label` or FERRY_POD_LABELS (comma-separated).
import { usageError } from '../errors.ts';
import type { KObject } from '../cluster/types.ts';

export interface PodLabel {
  /** app.kubernetes.io/component of the object (web, migration, cron, check); undefined = all */
  component: string | undefined;
  key: string;
  value: string;
}

const LABEL_COMPONENT = 'app.kubernetes.io/component';
const keyPattern = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const valuePattern = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

export function parsePodLabel(spec: string): PodLabel {
  const m = /^(?:([a-z]+):)?([^=]+)=(.*)$/.exec(spec.trim());
  if (!m || !keyPattern.test(m[2]!) || !valuePattern.test(m[3]!)) {
    throw usageError(
      'E_POD_LABEL',
      `invalid pod label "${spec}"`,
      'write [component:]key=value, e.g. web:ferry.dev/fault=never-ready',
    );
  }
  return { component: m[1], key: m[2]!, value: m[3]! };
}

export function parsePodLabels(specs: readonly string[], env: string | undefined): PodLabel[] {
  const fromEnv = (env ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return [...fromEnv, ...specs].map(parsePodLabel);
}

function templateOf(o: KObject): { metadata?: { labels?: Record<string, string> } } | undefined {
  const spec = o.spec as
    | {
        template?: { metadata?: { labels?: Record<string, string> } };
        jobTemplate?: { spec?: { template?: object } };
      }
    | undefined;
  if (o.kind === 'CronJob') return spec?.jobTemplate?.spec?.template as ReturnType<typeof templateOf>;
  if (o.kind === 'Deployment' || o.kind === 'Job' || o.kind === 'StatefulSet' || o.kind === 'DaemonSet') {
    return spec?.template;
  }
  return undefined;
}

/** Returns a copy of `o` with the matching labels added to its pod template. */
export function withPodLabels(o: KObject, labels: readonly PodLabel[]): KObject {
  const copy = structuredClone(o);
  const t = templateOf(copy);
  if (!t) return copy;
  const component = copy.metadata.labels?.[LABEL_COMPONENT];
  for (const l of labels) {
    if (l.component !== undefined && l.component !== component) continue;
    t.metadata = { ...t.metadata, labels: { ...t.metadata?.labels, [l.key]: l.value } };
  }
  return copy;
}
