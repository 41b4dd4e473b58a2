// What the Kubernetes store calls its objects and how it labels them. Every record carries
// `app.kubernetes.io/managed-by: ferry` and labels under `store.ferry.dev/`, never the
// `ferry.dev/service` / `ferry.dev/environment` labels that deploys prune by (see pruneSelector in
// render/kubernetes/labels.ts): a deploy's prune can never select a release record.
import { createHash } from 'node:crypto';

/** The label every object ferry writes carries (the store's records and what it renders). */
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'ferry';

export const LABEL_RECORD = 'store.ferry.dev/record';
export const LABEL_SERVICE = 'store.ferry.dev/service';
export const LABEL_ENVIRONMENT = 'store.ferry.dev/environment';
export const LABEL_OUTCOME = 'store.ferry.dev/outcome';
export const LABEL_KIND = 'store.ferry.dev/kind';
export const LABEL_ID = 'store.ferry.dev/id';

/** The summary of a release as JSON (what lists show without decoding the body). */
export const ANNOTATION_SUMMARY = 'store.ferry.dev/summary';
export const ANNOTATION_MESSAGE = 'store.ferry.dev/message';
export const ANNOTATION_ENDED_AT = 'store.ferry.dev/ended-at';
/** On a Lease: the acquisition's random token, the release it runs, its owner (JSON), its key. */
export const ANNOTATION_TOKEN = 'store.ferry.dev/token';
export const ANNOTATION_RELEASE_ID = 'store.ferry.dev/release-id';
export const ANNOTATION_OWNER = 'store.ferry.dev/owner';
export const ANNOTATION_KEY = 'store.ferry.dev/key';

/** Secret types: `kubectl get secrets --field-selector type=ferry.dev/release.v1`. */
export const RELEASE_SECRET_TYPE = 'ferry.dev/release.v1';
export const STEPS_SECRET_TYPE = 'ferry.dev/steps.v1';

/** What a store object is (the value of LABEL_RECORD). */
export type RecordKind = 'release' | 'steps' | 'history' | 'lock' | 'audit';

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 10);

/**
 * `raw` as it is when it is valid and fits `max`; else cleaned, cut, and ended with a hash of
 * `raw`, so two names that differ only where they were cut (or cleaned) stay apart.
 */
function fit(raw: string, max: number, valid: RegExp, clean: (s: string) => string, sep: string): string {
  if (raw.length <= max && valid.test(raw)) return raw;
  const cut = clean(raw)
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, max - 11)
    .replace(/[^A-Za-z0-9]+$/, '');
  return `${cut}${sep}${hash(raw)}`;
}

/** A DNS subdomain (Secret, ConfigMap and Lease names). */
function name(parts: readonly string[]): string {
  return fit(
    parts.join('.'),
    253,
    /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
    (s) => s.toLowerCase().replace(/[^a-z0-9.-]+/g, '-'),
    '-',
  );
}

/** A label value: at most 63 characters of [A-Za-z0-9_.-], alphanumeric at both ends. */
export function labelValue(raw: string): string {
  return fit(
    raw,
    63,
    /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/,
    (s) => s.replace(/[^A-Za-z0-9_.-]+/g, '_'),
    '_',
  );
}

export function releaseName(service: string, environment: string, id: number): string {
  return name(['ferry', 'release', service, environment, `v${id}`]);
}

export function stepsName(service: string, environment: string, id: number): string {
  return name(['ferry', 'steps', service, environment, `v${id}`]);
}

/** The (service, environment) pair's next id and the kinds its releases applied. */
export function historyName(service: string, environment: string): string {
  return name(['ferry', 'history', service, environment]);
}

export function lockName(service: string, environment: string): string {
  return name(['ferry', 'lock', service, environment]);
}

export function auditName(service: string, environment: string, at: number, unique: string): string {
  return name(['ferry', 'audit', service, environment, `${at}-${unique}`]);
}

/** The labels of every store object of one kind for (service, environment). */
export function recordLabels(
  record: RecordKind,
  service: string,
  environment: string,
): Record<string, string> {
  return {
    [LABEL_MANAGED_BY]: MANAGED_BY,
    [LABEL_RECORD]: record,
    [LABEL_SERVICE]: labelValue(service),
    [LABEL_ENVIRONMENT]: labelValue(environment),
  };
}

/**
 * A label selector for store objects of one kind: equality on the filters that are set, and
 * `store.ferry.dev/id in (…)` for a window of ids.
 */
export function recordSelector(
  record: RecordKind,
  filters: {
    service?: string;
    environment?: string;
    outcome?: string;
    kind?: string;
    ids?: readonly number[];
  },
): string {
  const parts = [`${LABEL_MANAGED_BY}=${MANAGED_BY}`, `${LABEL_RECORD}=${record}`];
  if (filters.service !== undefined) parts.push(`${LABEL_SERVICE}=${labelValue(filters.service)}`);
  if (filters.environment !== undefined)
    parts.push(`${LABEL_ENVIRONMENT}=${labelValue(filters.environment)}`);
  if (filters.outcome !== undefined) parts.push(`${LABEL_OUTCOME}=${filters.outcome}`);
  if (filters.kind !== undefined) parts.push(`${LABEL_KIND}=${filters.kind}`);
  if (filters.ids !== undefined) parts.push(`${LABEL_ID} in (${filters.ids.join(',')})`);
  return parts.join(',');
}
