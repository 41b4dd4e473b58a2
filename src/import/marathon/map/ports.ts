// portMappings (container.docker or container) → ports; portDefinitions/ports (host ports, 0 for
// a random one read from $PORT0) → ports, approximated.
import { sortRecord } from '../../common.ts';
import { isRecord } from '../../source.ts';
import type { AppMapper, Manifest } from '../context.ts';

export interface PortInfo {
  port: number;
  protocol: 'TCP' | 'UDP';
}

/** The manifest's ports in order (what health's portIndex counts). */
export function appPorts(m: Manifest): PortInfo[] {
  if (m.ports) return m.ports.map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP' }));
  return m.port !== undefined ? [{ port: m.port, protocol: 'TCP' }] : [];
}

export const mapPorts: AppMapper = (ctx, m) => {
  const { app, report, name, at, container, docker } = ctx;
  const ports: PortInfo[] = [];
  const mappings = Array.isArray(docker?.portMappings)
    ? { list: docker.portMappings, key: ['container', 'docker', 'portMappings'] }
    : Array.isArray(container?.portMappings)
      ? { list: container.portMappings, key: ['container', 'portMappings'] }
      : undefined;
  const usesPortVar = /\$PORT\d*\b|\$\{PORT\d*\}/.test(
    `${String(app.cmd ?? '')} ${JSON.stringify(app.args ?? [])}`,
  );
  const push = (port: number, proto: unknown): void => {
    const protocols = String(proto ?? 'tcp')
      .toLowerCase()
      .split(',');
    for (const p of protocols) {
      const protocol = p.trim() === 'udp' ? 'UDP' : 'TCP';
      if (!ports.some((x) => x.port === port && x.protocol === protocol)) ports.push({ port, protocol });
    }
  };
  if (mappings) {
    mappings.list.forEach((pm, i) => {
      const key = at(...mappings.key, i);
      if (!isRecord(pm)) return report.dropped(name, key, 'not a port mapping');
      const cp = Number(pm.containerPort);
      if (!Number.isInteger(cp) || cp < 1) return report.dropped(name, key, 'no container port');
      push(cp, pm.protocol);
      report.mapped(name, at(...mappings.key, i, 'containerPort'), 'ports');
      if (pm.protocol !== undefined)
        report.mapped(
          name,
          at(...mappings.key, i, 'protocol'),
          String(pm.protocol).toLowerCase().includes('udp') ? 'ports[].protocol' : 'ports',
          String(pm.protocol).toLowerCase().includes('udp') ? undefined : 'TCP, the default',
        );
      if (pm.servicePort !== undefined)
        report.approximated(
          name,
          at(...mappings.key, i, 'servicePort'),
          'routes',
          'the marathon-lb service port: ferry reaches the service through its Service name and routes',
        );
      if (pm.hostPort !== undefined)
        report.approximated(
          name,
          at(...mappings.key, i, 'hostPort'),
          'ports',
          'pods have their own IP: no host port',
        );
      for (const k of Object.keys(pm))
        if (!['containerPort', 'protocol', 'servicePort', 'hostPort'].includes(k))
          report.dropped(
            name,
            at(...mappings.key, i, k),
            k === 'name' ? 'ferry names ports http, port-<n>' : 'not modelled',
          );
    });
  }
  const defs = Array.isArray(app.portDefinitions)
    ? { list: app.portDefinitions, key: 'portDefinitions' }
    : Array.isArray(app.ports)
      ? { list: app.ports, key: 'ports' }
      : undefined;
  if (defs && !mappings) {
    defs.list.forEach((pd, i) => {
      const key = at(defs.key, i);
      const port = isRecord(pd) ? Number(pd.port) : Number(pd);
      if (Number.isInteger(port) && port > 0) {
        push(port, isRecord(pd) ? pd.protocol : 'tcp');
        report.approximated(name, key, 'ports', `host port ${port}: the pod listens on it directly`);
      } else if (i === 0 && usesPortVar) {
        push(8080, isRecord(pd) ? pd.protocol : 'tcp');
        report.approximated(
          name,
          key,
          'ports',
          'a random host port ($PORT0): ferry fixes it at 8080 and sets PORT0/PORT to 8080',
        );
        m.env = sortRecord({ ...(m.env ?? {}), PORT: '8080', PORT0: '8080' });
      } else
        report.dropped(
          name,
          key,
          'a random host port the app must read from $PORT' +
            i +
            ': give the service a fixed port in ferry.yaml',
        );
    });
  } else if (defs)
    report.approximated(name, at(defs.key), 'ports', 'container port mappings decide the ports');
  if (ports.length === 1 && ports[0]?.protocol === 'TCP') m.port = ports[0].port;
  else if (ports.length > 0)
    m.ports = ports.map((p) => (p.protocol === 'UDP' ? { port: p.port, protocol: 'UDP' } : { port: p.port }));
};
