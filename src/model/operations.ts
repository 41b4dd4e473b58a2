// Alerts, volumes, autoscaling and placement (spot pools, node selectors, tolerations).
import type { Collector } from './collector.ts';
import { DEFAULTS, percent, type EffectiveManifest } from './effective.ts';
import type { ServiceManifest } from '../manifest/schema.ts';
import { canonicalJson } from './canonical.ts';
import { parseDuration } from './duration.ts';
import { toToleration } from './platform.ts';
import { parseMemory } from './quantity.ts';
import type { KeyPath } from '../manifest/locate.ts';
import type {
  Alerts,
  Autoscale,
  NodeRequirement,
  Placement,
  Spread,
  Toleration,
  Volume,
  Workload,
} from './types.ts';

export function resolveAlerts(m: EffectiveManifest, c: Collector): Alerts | undefined {
  const a = m.alerts;
  if (!a) return undefined;
  return {
    replicas: a.replicas ?? true,
    errors5xxRatio: a.errors5xx === undefined ? undefined : percent(a.errors5xx) / 100,
    latencyP99Seconds:
      a.latencyP99 === undefined
        ? undefined
        : c.try(['alerts', 'latencyP99'], () => parseDuration(a.latencyP99!), 1),
  };
}

export function resolveVolumes(m: EffectiveManifest, c: Collector): Volume[] {
  return (m.volumes ?? []).map((v, i) => ({
    name: v.name,
    path: v.path,
    sizeBytes: c.try(['volumes', i, 'size'], () => parseMemory(v.size), 1024 ** 3),
    storageClass: v.storageClass,
    access: v.access ?? 'ReadWriteOnce',
    from: v.from,
  }));
}

export function resolveAutoscale(m: EffectiveManifest, c: Collector): Autoscale | undefined {
  const a = m.autoscale;
  if (!a) return undefined;
  if (a.min > a.max) c.add(['autoscale', 'min'], `min (${a.min}) is above max (${a.max})`);
  const target = percent(a.cpu ?? DEFAULTS.autoscaleCpu);
  if (target < 1 || target > 100) c.add(['autoscale', 'cpu'], `expected 1% to 100%, got ${a.cpu ?? ''}`);
  return { min: a.min, max: a.max, cpuTargetPercent: target };
}

export type PlacementInput = NonNullable<ServiceManifest['placement']>;

type RequirementInput = NonNullable<NonNullable<PlacementInput['nodeAffinity']>['required']>[number];

/** One node label expression, checked: In/NotIn need values, Exists/DoesNotExist none, Gt/Lt one integer. */
function requirement(r: RequirementInput, report: (msg: string, hint: string) => void): NodeRequirement {
  const values = [...(r.values ?? [])];
  const operator = r.operator ?? (values.length > 0 ? 'In' : 'Exists');
  if ((operator === 'In' || operator === 'NotIn') && values.length === 0)
    report(`${operator} needs values`, 'add values: [...], or use Exists');
  if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0)
    report(`${operator} takes no values`, 'remove values, or use In');
  if ((operator === 'Gt' || operator === 'Lt') && !(values.length === 1 && /^-?\d+$/.test(values[0]!)))
    report(`${operator} takes one integer value`, 'write values: ["3"]');
  return { key: r.key, operator, values };
}

function spreadOf(s: NonNullable<PlacementInput['spread']>[number]): Spread {
  return typeof s === 'string'
    ? { topologyKey: s, maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' }
    : {
        topologyKey: s.topologyKey,
        maxSkew: s.maxSkew ?? 1,
        whenUnsatisfiable: s.whenUnsatisfiable ?? 'ScheduleAnyway',
      };
}

/**
 * Where a placement problem is reported: `own` problems in the service file (at `placement…`),
 * the environment's in the platform file (at `environments.<env>.placement…`).
 */
export interface PlacementReporter {
  own(path: KeyPath, message: string, hint: string): void;
  env(path: KeyPath, message: string, hint: string): void;
}

export function resolvePlacement(
  envPlacement: PlacementInput | undefined,
  own: PlacementInput | undefined,
  policy: Workload['policy'],
  report: PlacementReporter = { own: () => undefined, env: () => undefined },
): Placement {
  const spot = own?.spot ?? envPlacement?.spot ?? false;
  const nodeSelector: Record<string, string> = {
    ...(spot ? policy.spot.nodeSelector : {}),
    ...(envPlacement?.nodeSelector ?? {}),
    ...(own?.nodeSelector ?? {}),
  };
  const tolerations: Toleration[] = [];
  const seen = new Set<string>();
  for (const t of [
    ...(spot ? policy.spot.tolerations : []),
    ...(envPlacement?.tolerations ?? []).map(toToleration),
    ...(own?.tolerations ?? []).map(toToleration),
  ]) {
    const key = canonicalJson(t);
    if (!seen.has(key)) tolerations.push(t);
    seen.add(key);
  }
  const sorted = Object.fromEntries(Object.entries(nodeSelector).sort(([a], [b]) => (a < b ? -1 : 1)));
  const exprs = <T extends RequirementInput>(
    which: 'required' | 'preferred',
  ): { r: T; at: (m: string, h: string) => void }[] => [
    ...((envPlacement?.nodeAffinity?.[which] ?? []) as T[]).map((r, i) => ({
      r,
      at: (m: string, h: string) => report.env(['placement', 'nodeAffinity', which, i, 'operator'], m, h),
    })),
    ...((own?.nodeAffinity?.[which] ?? []) as T[]).map((r, i) => ({
      r,
      at: (m: string, h: string) => report.own(['placement', 'nodeAffinity', which, i, 'operator'], m, h),
    })),
  ];
  return {
    spot,
    nodeSelector: sorted,
    tolerations,
    required: exprs('required').map(({ r, at }) => requirement(r, at)),
    preferred: exprs<RequirementInput & { weight?: number | undefined }>('preferred').map(({ r, at }) => ({
      ...requirement(r, at),
      weight: r.weight ?? 1,
    })),
    spread: (own?.spread ?? envPlacement?.spread ?? []).map(spreadOf),
    priorityClass: own?.priorityClass ?? envPlacement?.priorityClass,
  };
}
