// Requests and limits from the platform policy. The manifest's cpu/memory are the LIMIT (what
// Marathon's cpus/mem meant); requests = limit × policy ratio. CPU requests never equal the limit
// unless the ratio is 1 (ANNA's throttling pitfall: Marathon cpus became requests = limits).
import type { V1ResourceRequirements } from '@kubernetes/client-node';
import { formatCpu, formatMemory } from '../../model/quantity.ts';
import type { Policy, Resources } from '../../model/types.ts';

const Ki = 1024;
const Mi = Ki * 1024;

/** Kubernetes CPU quantity: whole cores as "2", otherwise millicores "500m". */
export const cpuQuantity = formatCpu;
/** Kubernetes memory quantity in the largest unit that divides it exactly. */
export const memoryQuantity = formatMemory;

export function cpuRequestMillis(limitMillis: number, ratio: number): number {
  if (ratio >= 1) return limitMillis;
  const req = Math.max(1, Math.round(limitMillis * ratio));
  // rounding must not turn "less than the limit" into "equal to the limit"
  return req >= limitMillis && limitMillis > 1 ? limitMillis - 1 : Math.min(req, limitMillis);
}

export function memoryRequestBytes(limitBytes: number, ratio: number): number {
  if (ratio >= 1) return limitBytes;
  const raw = limitBytes * ratio;
  // whole MiB (or KiB for tiny limits) keep the quantity readable and below the limit
  const unit = raw >= Mi ? Mi : Ki;
  return Math.max(unit, Math.floor(raw / unit) * unit);
}

export function resourceRequirements(r: Resources, policy: Policy): V1ResourceRequirements {
  return {
    limits: { cpu: cpuQuantity(r.cpuMillis), memory: memoryQuantity(r.memoryBytes) },
    requests: {
      cpu: cpuQuantity(cpuRequestMillis(r.cpuMillis, policy.cpuRequestRatio)),
      memory: memoryQuantity(memoryRequestBytes(r.memoryBytes, policy.memoryRequestRatio)),
    },
  };
}
