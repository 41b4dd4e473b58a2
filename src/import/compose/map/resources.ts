// deploy.resources: limits → resources (the limit); reservations → policy ratios, or the limit
// when no limit is given.
import { formatMemory } from '../../../model/quantity.ts';
import { isRecord } from '../../source.ts';
import type { FieldMapper } from '../context.ts';

/** Compose sizes are binary: "512m" = 512 MiB, "1g" = 1 GiB, "1024" = bytes. */
export function composeMemory(v: unknown): string | undefined {
  if (typeof v === 'number') return v > 0 ? formatMemory(v) : undefined;
  if (typeof v !== 'string') return undefined;
  const mm = /^(\d+(?:\.\d+)?)\s*([bkmg]?)b?$/i.exec(v.trim());
  if (!mm) return undefined;
  const mult = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(mm[2] ?? '').toLowerCase()] ?? 1;
  const bytes = Math.round(Number(mm[1]) * mult);
  return bytes > 0 ? formatMemory(bytes) : undefined;
}

/** Compose cores ("0.5", 2) → a ferry CPU value ("500m", 2). */
export function composeCpu(v: unknown): string | number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isFinite(n) || n <= 0) return undefined;
  const millis = Math.round(n * 1000);
  return millis % 1000 === 0 ? millis / 1000 : `${millis}m`;
}

export const mapResources: FieldMapper = (ctx, m) => {
  const { report, name, at } = ctx;
  const d = ctx.svc.deploy;
  const res = isRecord(d) ? d.resources : undefined;
  if (!isRecord(res)) return;
  const lim = isRecord(res.limits) ? res.limits : {};
  const rsv = isRecord(res.reservations) ? res.reservations : {};
  const resources: { cpu?: string | number; memory?: string } = {};
  const cpu = composeCpu(lim.cpus);
  if (cpu !== undefined) {
    resources.cpu = cpu;
    report.mapped(name, at('deploy', 'resources', 'limits', 'cpus'), 'resources.cpu', 'the limit');
  }
  const mem = composeMemory(lim.memory);
  if (mem !== undefined) {
    resources.memory = mem;
    report.mapped(
      name,
      at('deploy', 'resources', 'limits', 'memory'),
      'resources.memory',
      'the limit (compose sizes are binary)',
    );
  }
  const rcpu = composeCpu(rsv.cpus);
  if (rsv.cpus !== undefined) {
    if (cpu === undefined && rcpu !== undefined) {
      resources.cpu = rcpu;
      report.approximated(
        name,
        at('deploy', 'resources', 'reservations', 'cpus'),
        'resources.cpu',
        'no limit given: the reservation becomes the limit; the request is limit × policy.cpuRequestRatio',
      );
    } else
      report.approximated(
        name,
        at('deploy', 'resources', 'reservations', 'cpus'),
        'policy.cpuRequestRatio',
        'ferry derives the CPU request from the limit × policy.cpuRequestRatio (one ratio for all services)',
      );
  }
  const rmem = composeMemory(rsv.memory);
  if (rsv.memory !== undefined) {
    if (mem === undefined && rmem !== undefined) {
      resources.memory = rmem;
      report.approximated(
        name,
        at('deploy', 'resources', 'reservations', 'memory'),
        'resources.memory',
        'no limit given: the reservation becomes the limit; the request is limit × policy.memoryRequestRatio',
      );
    } else
      report.approximated(
        name,
        at('deploy', 'resources', 'reservations', 'memory'),
        'policy.memoryRequestRatio',
        'ferry derives the memory request from the limit × policy.memoryRequestRatio',
      );
  }
  if (Object.keys(resources).length > 0) m.resources = resources;
};
