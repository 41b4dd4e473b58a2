// Helpers shared by the healthcheck mapper and kompose's probe labels.
import { formatDuration, parseDuration } from '../../../model/duration.ts';
import type { Health, Manifest } from '../context.ts';
import { manifestPorts } from './ports.ts';

/** A compose/Go duration ("1m30s", "500ms", "10us") → a ferry duration of at least 1s. */
export function seconds(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  try {
    const s = parseDuration(v.replace(/us$/, '').replace(/ns$/, ''));
    return formatDuration(Math.max(s, 1));
  } catch {
    return undefined;
  }
}

/** ferry probes declared ports only: a probe on another port adds that port to the service. */
export function addProbePort(m: Manifest, h: Health): void {
  if (typeof h.port !== 'number') return;
  const ports = manifestPorts(m);
  if (ports.some((p) => p.port === h.port)) return;
  delete m.port;
  m.ports = [...ports, { port: h.port }];
}
