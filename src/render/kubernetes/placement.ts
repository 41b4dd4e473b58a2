// Where pods run: the workload's own node selector and tolerations, plus the policy's spot pool
// when placement.spot is set. Tolerations are de-duplicated and kept in a stable order.
import type { V1Toleration } from '@kubernetes/client-node';
import type { Placement, Policy, Toleration } from '../../model/types.ts';

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
