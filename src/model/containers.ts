// Resources, ports and health probes of the service's container.
import type { Collector } from './collector.ts';
import { DEFAULTS, toCommand, type EffectiveManifest } from './effective.ts';
import type { KeyPath } from '../manifest/locate.ts';
import { didYouMean } from '../manifest/suggest.ts';
import { parseDurationSeconds } from './duration.ts';
import { parseCpu, parseMemory } from './quantity.ts';
import type { Health, Port, Resources } from './types.ts';

export function resolveResources(
  r: { cpu?: string | number | undefined; memory?: string | undefined } | undefined,
  base: Resources | undefined,
  c: Collector,
  path: KeyPath,
): Resources {
  return {
    cpuMillis:
      r?.cpu !== undefined
        ? c.try([...path, 'cpu'], () => parseCpu(r.cpu!), 500)
        : (base?.cpuMillis ?? parseCpu(DEFAULTS.cpu)),
    memoryBytes:
      r?.memory !== undefined
        ? c.try([...path, 'memory'], () => parseMemory(r.memory!), 512 * 1024 ** 2)
        : (base?.memoryBytes ?? parseMemory(DEFAULTS.memory)),
  };
}

export function resolvePorts(m: EffectiveManifest, c: Collector): Port[] {
  if (m.port !== undefined && m.ports !== undefined) {
    c.add(['port'], 'give either port or ports, not both', 'move this port into ports');
  }
  if (m.ports) {
    const ports = m.ports.map((p, i) => ({
      name: p.name ?? (i === 0 ? 'http' : `port-${p.port}`),
      port: p.port,
      protocol: p.protocol ?? 'TCP',
    }));
    const seen = new Set<string>();
    ports.forEach((p, i) => {
      if (seen.has(p.name))
        c.add(['ports', i, 'name'], `port name "${p.name}" is used twice`, 'name each port');
      seen.add(p.name);
    });
    return ports;
  }
  return m.port !== undefined ? [{ name: 'http', port: m.port, protocol: 'TCP' }] : [];
}

export function portName(
  ref: string | number | undefined,
  ports: readonly Port[],
  c: Collector,
  path: KeyPath,
): string {
  if (ref === undefined) {
    const first = ports[0];
    if (!first) {
      c.relation(
        path.slice(0, -1),
        'needs a port, but the service declares none',
        'add `port: <number>` to the service',
      );
      return 'http';
    }
    return first.name;
  }
  const found = ports.find((p) => (typeof ref === 'number' ? p.port === ref : p.name === ref));
  if (!found) {
    c.relation(
      path,
      `port ${JSON.stringify(ref)} is not one of the service's ports`,
      ports.length
        ? didYouMean(
            String(ref),
            ports.map((p) => (typeof ref === 'number' ? String(p.port) : p.name)),
            'ports',
          )
        : 'add `port: <number>` to the service',
    );
    return String(ref);
  }
  return found.name;
}

export function resolveHealth(
  m: EffectiveManifest,
  ports: readonly Port[],
  c: Collector,
): Health | undefined {
  const h = m.health;
  if (h === undefined) return undefined;
  const o = typeof h === 'string' ? { path: h } : h;
  const d = DEFAULTS.health;
  const kinds = [o.path !== undefined, o.command !== undefined, o.tcp === true].filter(Boolean).length;
  if (kinds !== 1) {
    c.add(
      ['health'],
      kinds === 0 ? 'say how to probe: path, command or tcp' : 'give only one of path, command, tcp',
    );
  }
  let action: Health['action'];
  if (o.command !== undefined) action = { kind: 'exec', command: toCommand(o.command) };
  else if (o.tcp === true) action = { kind: 'tcp', port: portName(o.port, ports, c, ['health', 'port']) };
  else
    action = {
      kind: 'http',
      path: o.path ?? '/',
      port: portName(o.port, ports, c, ['health', 'port']),
      headers: Object.entries(o.headers ?? {})
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, value]) => ({ name, value })),
    };
  if (o.headers !== undefined && action.kind !== 'http')
    c.add(['health', 'headers'], 'headers are sent by HTTP probes only', 'remove headers, or probe a path');
  const dur = (key: 'initialDelay' | 'period' | 'timeout' | 'startup'): number =>
    c.try(['health', key], () => parseDurationSeconds(o[key] ?? d[key]), 1);
  return {
    action,
    initialDelaySeconds: dur('initialDelay'),
    periodSeconds: Math.max(1, dur('period')),
    timeoutSeconds: Math.max(1, dur('timeout')),
    failureThreshold: o.failureThreshold ?? d.failureThreshold,
    startupSeconds: dur('startup'),
  };
}
