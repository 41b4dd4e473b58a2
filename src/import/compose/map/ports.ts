// ports + expose → port / ports (container ports; published host ports are not kept).
import { isRecord } from '../../source.ts';
import type { FieldMapper, Manifest } from '../context.ts';

export interface PortSpec {
  port: number;
  protocol: 'TCP' | 'UDP';
  published: string | undefined;
}

/** "8080:80/udp", "127.0.0.1:8080:80", "80", "3000-3001", {target, published, protocol}. */
export function parsePort(v: unknown): PortSpec[] | undefined {
  if (typeof v === 'number') return [{ port: v, protocol: 'TCP', published: undefined }];
  if (isRecord(v)) {
    const target = Number(v.target);
    if (!Number.isInteger(target)) return undefined;
    const protocol = String(v.protocol ?? 'tcp').toUpperCase() === 'UDP' ? 'UDP' : 'TCP';
    return [
      { port: target, protocol, published: v.published === undefined ? undefined : String(v.published) },
    ];
  }
  if (typeof v !== 'string') return undefined;
  const [spec, proto] = v.split('/');
  const protocol = (proto ?? 'tcp').toUpperCase() === 'UDP' ? 'UDP' : 'TCP';
  const parts = (spec ?? '').split(':');
  const container = parts.at(-1) ?? '';
  const published = parts.length > 1 ? parts.slice(0, -1).join(':') : undefined;
  const range = /^(\d+)(?:-(\d+))?$/.exec(container);
  if (!range) return undefined;
  const from = Number(range[1]);
  const to = range[2] === undefined ? from : Number(range[2]);
  if (to < from || to - from > 100) return undefined;
  const out: PortSpec[] = [];
  for (let p = from; p <= to; p++) out.push({ port: p, protocol, published });
  return out;
}

/** The manifest's ports as a list ({port} for the `port` shorthand). */
export function manifestPorts(m: Manifest): NonNullable<Manifest['ports']> {
  return m.ports ?? (m.port !== undefined ? [{ port: m.port }] : []);
}

/** Adds a TCP port unless declared; keeps the `port` shorthand while there is one TCP port. */
export function addPort(m: Manifest, port: number): void {
  const ports = manifestPorts(m);
  if (ports.some((p) => p.port === port)) return;
  if (ports.length === 0) {
    m.port = port;
    return;
  }
  delete m.port;
  m.ports = [...ports, { port }];
}

export const mapPorts: FieldMapper = (ctx, m) => {
  const { svc, report, name, at } = ctx;
  const ports: PortSpec[] = [];
  const add = (p: PortSpec): void => {
    if (p.port < 1 || p.port > 65535) return;
    if (!ports.some((q) => q.port === p.port && q.protocol === p.protocol)) ports.push(p);
  };
  for (const field of ['ports', 'expose'] as const) {
    const list = svc[field];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      report.dropped(name, at(field), 'not a list');
      continue;
    }
    list.forEach((v, i) => {
      const parsed = parsePort(v);
      if (parsed === undefined) {
        report.dropped(name, at(field, i), 'not a port ferry can read');
        return;
      }
      parsed.forEach(add);
      const pub = parsed[0]?.published;
      if (pub !== undefined && pub !== String(parsed[0]?.port))
        report.approximated(
          name,
          at(field, i),
          'ports',
          `container port ${parsed.map((p) => p.port).join(',')}; the published host port ${pub} is not kept (reach the service through its Service or a route)`,
        );
      else report.mapped(name, at(field, i), 'ports');
    });
  }
  if (ports.length === 1 && ports[0]?.protocol === 'TCP') m.port = ports[0].port;
  else if (ports.length > 0)
    m.ports = ports.map((p) => (p.protocol === 'UDP' ? { port: p.port, protocol: 'UDP' } : { port: p.port }));
};
