// Pod settings (`pod:`), workload metadata (`workload:`) and daemons, every default filled:
// service account, pull secrets, graceful shutdown, labels and annotations (never ferry's own
// keys), security contexts, init containers and sidecars.
import type { KeyPath } from '../manifest/locate.ts';
import type { Collector } from './collector.ts';
import { resolveResources } from './containers.ts';
import { toCommand, type EffectiveManifest } from './effective.ts';
import { parseDurationSeconds } from './duration.ts';
import { envSource } from './env.ts';
import { interpolate, type Variables } from './interpolate.ts';
import type { ContainerSecurity, EnvVar, ExtraContainer, PodSettings, Workload } from './types.ts';

type Pod = NonNullable<EffectiveManifest['pod']>;
type Extra = NonNullable<Pod['sidecars']>[number];
type SecurityInput = Extra['securityContext'];

export const EXTRA_CONTAINER_DEFAULTS = { cpu: '100m', memory: '128Mi' } as const;

/** Label keys ferry sets itself: a manifest may not set them (selectors and pruning rely on them). */
export function isReservedLabel(key: string): boolean {
  return (
    key.startsWith('ferry.dev/') ||
    [
      'app.kubernetes.io/name',
      'app.kubernetes.io/instance',
      'app.kubernetes.io/version',
      'app.kubernetes.io/component',
      'app.kubernetes.io/managed-by',
    ].includes(key)
  );
}

function checkedLabels(
  labels: Readonly<Record<string, string>> | undefined,
  path: KeyPath,
  c: Collector,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (isReservedLabel(k)) {
      c.add(
        [...path, k],
        `label ${k} is set by ferry itself`,
        'use a key of your own, e.g. team or example.com/owner',
      );
      continue;
    }
    out[k] = v;
  }
  return out;
}

function sorted(r: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(r ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)));
}

const capName = (s: string): string => s.replace(/^CAP_/, '');
const caps = (list: readonly string[] | undefined): string[] =>
  [...new Set((list ?? []).map(capName))].sort();

export function resolveSecurity(s: SecurityInput): ContainerSecurity {
  return {
    runAsUser: s?.runAsUser,
    runAsGroup: s?.runAsGroup,
    runAsNonRoot: s?.runAsNonRoot,
    readOnlyRootFilesystem: s?.readOnlyRootFilesystem,
    allowPrivilegeEscalation: s?.allowPrivilegeEscalation,
    add: caps(s?.capabilities?.add),
    drop: caps(s?.capabilities?.drop),
  };
}

function ownEnv(env: Extra['env'], vars: Variables, path: KeyPath, c: Collector): EnvVar[] {
  return Object.entries(env ?? {})
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, raw]) => {
      const text =
        typeof raw === 'string' ? c.try([...path, name], () => interpolate(raw, vars), raw) : String(raw);
      return { name, source: envSource(text) ?? { kind: 'literal', value: text } };
    });
}

function resolveExtras(
  list: readonly Extra[] | undefined,
  what: 'initContainers' | 'sidecars',
  w: { service: string; image: string; vars: Variables },
  c: Collector,
  taken: Set<string>,
): ExtraContainer[] {
  return (list ?? []).map((x, i) => {
    const path: KeyPath = ['pod', what, i];
    if (taken.has(x.name)) {
      c.add([...path, 'name'], `container name "${x.name}" is used twice in the pod`, 'name each container');
    }
    taken.add(x.name);
    const defaults = resolveResources(EXTRA_CONTAINER_DEFAULTS, undefined, c, [...path, 'resources']);
    return {
      name: x.name,
      image: x.image ?? w.image,
      ownImage: x.image === undefined,
      command: x.command === undefined ? undefined : toCommand(x.command),
      args: x.args === undefined ? undefined : [...x.args],
      env: ownEnv(x.env, w.vars, [...path, 'env'], c),
      resources: resolveResources(x.resources, defaults, c, [...path, 'resources']),
      security: resolveSecurity(x.securityContext),
      jobs: x.jobs ?? false,
    };
  });
}

export function resolvePod(
  m: EffectiveManifest,
  w: { service: string; image: string; vars: Variables },
  c: Collector,
): PodSettings {
  const p = m.pod ?? {};
  const security = resolveSecurity(p.securityContext);
  const taken = new Set<string>([w.service]);
  const sidecars = resolveExtras(p.sidecars, 'sidecars', w, c, taken);
  return {
    serviceAccount: p.serviceAccount,
    imagePullSecrets: [...new Set(p.imagePullSecrets ?? [])],
    terminationGracePeriodSeconds:
      p.terminationGracePeriod === undefined
        ? undefined
        : c.try(['pod', 'terminationGracePeriod'], () => parseDurationSeconds(p.terminationGracePeriod!), 30),
    preStop: p.preStop === undefined ? undefined : toCommand(p.preStop),
    labels: checkedLabels(p.labels, ['pod', 'labels'], c),
    annotations: sorted(p.annotations),
    security,
    fsGroup: p.securityContext?.fsGroup,
    initContainers: resolveExtras(p.initContainers, 'initContainers', w, c, taken),
    sidecars,
  };
}

export function resolveWorkloadMeta(m: EffectiveManifest, c: Collector): Workload['workloadMeta'] {
  return {
    labels: checkedLabels(m.workload?.labels, ['workload', 'labels'], c),
    annotations: sorted(m.workload?.annotations),
  };
}

/** `daemon: true` runs one pod per node: what does not fit with it is refused here, located. */
export function resolveDaemon(m: EffectiveManifest, c: Collector): boolean {
  if (m.daemon !== true) return false;
  if (m.instances !== undefined)
    c.add(['instances'], 'a daemon runs one pod on every node: instances does not apply', 'remove instances');
  if (m.autoscale !== undefined)
    c.add(['autoscale'], 'a daemon runs one pod on every node: it cannot autoscale', 'remove autoscale');
  if (m.stateful === true)
    c.add(
      ['stateful'],
      'a daemon runs one pod on every node: it cannot also be stateful (a StatefulSet)',
      'remove stateful, or daemon',
    );
  (m.volumes ?? []).forEach((v, i) => {
    if ((v.access ?? 'ReadWriteOnce') === 'ReadWriteOnce')
      c.add(
        ['volumes', i, 'access'],
        `volume "${v.name}" is ReadWriteOnce, but a daemon's pods run on every node`,
        'use access: ReadWriteMany (or ReadOnlyMany), or run the service with instances',
      );
  });
  return true;
}
