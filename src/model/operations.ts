// Alerts, volumes, autoscaling and placement (spot pools, node selectors, tolerations).
import type { Collector } from './collector.ts';
import { DEFAULTS, percent, type EffectiveManifest } from './effective.ts';
import type { ServiceManifest } from '../manifest/schema.ts';
import { canonicalJson } from './canonical.ts';
import { parseDuration } from './duration.ts';
import { toToleration } from './platform.ts';
import { parseMemory } from './quantity.ts';
import type { Alerts, Autoscale, Placement, Toleration, Volume, Workload } from './types.ts';

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

export function resolvePlacement(
  envPlacement: PlacementInput | undefined,
  own: PlacementInput | undefined,
  policy: Workload['policy'],
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
  return { spot, nodeSelector: sorted, tolerations };
}
