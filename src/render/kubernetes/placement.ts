// Where pods run: the workload's own node selector and tolerations, plus the policy's spot pool
// when placement.spot is set. Tolerations are de-duplicated and kept in a stable order.
import type {
  V1Affinity,
  V1NodeSelectorRequirement,
  V1Toleration,
  V1TopologySpreadConstraint,
} from '@kubernetes/client-node';
import type { NodeRequirement, Placement, Policy, Spread, Toleration } from '../../model/types.ts';

export interface PodPlacement {
  nodeSelector?: Record<string, string>;
  tolerations?: V1Toleration[];
}

function toleration(t: Toleration): V1Toleration {
  const out: V1Toleration = { key: t.key, operator: t.operator };
  if (t.value !== undefined && t.operator === 'Equal') out.value = t.value;
  if (t.effect !== undefined) out.effect = t.effect;
  return out;
}

export function podPlacement(p: Placement, policy: Policy): PodPlacement {
  const selector: Record<string, string> = { ...(p.spot ? policy.spot.nodeSelector : {}), ...p.nodeSelector };
  const seen = new Set<string>();
  const tolerations: V1Toleration[] = [];
  for (const t of [...(p.spot ? policy.spot.tolerations : []), ...p.tolerations]) {
    const v = toleration(t);
    const key = JSON.stringify([v.key, v.operator, v.value, v.effect]);
    if (seen.has(key)) continue;
    seen.add(key);
    tolerations.push(v);
  }
  const out: PodPlacement = {};
  if (Object.keys(selector).length > 0) out.nodeSelector = selector;
  if (tolerations.length > 0) out.tolerations = tolerations;
  return out;
}

function expression(r: NodeRequirement): V1NodeSelectorRequirement {
  const out: V1NodeSelectorRequirement = { key: r.key, operator: r.operator };
  if (r.values.length > 0) out.values = [...r.values];
  return out;
}

/** Node affinity: every required expression in one term (all must match), preferred by weight. */
export function podAffinity(p: Placement): V1Affinity | undefined {
  if (p.required.length === 0 && p.preferred.length === 0) return undefined;
  const nodeAffinity: NonNullable<V1Affinity['nodeAffinity']> = {};
  if (p.required.length > 0)
    nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = {
      nodeSelectorTerms: [{ matchExpressions: p.required.map(expression) }],
    };
  if (p.preferred.length > 0)
    nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution = p.preferred.map((r) => ({
      weight: r.weight,
      preference: { matchExpressions: [expression(r)] },
    }));
  return { nodeAffinity };
}

/** Topology spread of the service's own pods (selected by their immutable selector labels). */
export function spreadConstraints(
  spread: readonly Spread[],
  selector: Record<string, string>,
): V1TopologySpreadConstraint[] {
  return spread.map((s) => ({
    topologyKey: s.topologyKey,
    maxSkew: s.maxSkew,
    whenUnsatisfiable: s.whenUnsatisfiable,
    labelSelector: { matchLabels: { ...selector } },
  }));
}
