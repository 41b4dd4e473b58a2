// A Kubernetes pod template (Deployment, StatefulSet, DaemonSet, CronJob) → the parts of a ferry
// manifest it holds, reporting every field it reads.
import type { ServiceManifest } from '../../manifest/schema.ts';
import { parseCpu, parseMemory, formatCpu, formatMemory } from '../../model/quantity.ts';
import { ENV_NAME, secondsToDuration, sortRecord } from '../common.ts';
import { splitImage, toDnsLabel } from '../names.ts';
import type { Reporter } from '../report.ts';
import { isRecord, type KeyPath } from '../source.ts';

type Manifest = ServiceManifest;
type Health = Exclude<NonNullable<Manifest['health']>, string>;
type Resources = NonNullable<Manifest['resources']>;

const DNS = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

export interface ContainerParts {
  image: string;
  version: string | undefined;
  command?: string[];
  args?: string[];
  env?: Record<string, string>;
  secrets?: Record<string, string>;
  ports?: NonNullable<Manifest['ports']>;
  health?: Health;
  resources?: Resources;
}

export function quantityCpu(v: unknown): string | undefined {
  try {
    return typeof v === 'string' || typeof v === 'number' ? formatCpu(parseCpu(v)) : undefined;
  } catch {
    return undefined;
  }
}

export function quantityMemory(v: unknown): string | undefined {
  try {
    return typeof v === 'string' ? formatMemory(parseMemory(v)) : undefined;
  } catch {
    return undefined;
  }
}

function probe(p: Record<string, unknown>, ports: NonNullable<Manifest['ports']>): Health | undefined {
  const h: Health = {};
  const port = (v: unknown): number | string | undefined => {
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && DNS.test(v)) return ports.find((x) => x.name === v)?.port ?? v;
    return undefined;
  };
  if (isRecord(p.httpGet)) {
    h.path = typeof p.httpGet.path === 'string' && p.httpGet.path.startsWith('/') ? p.httpGet.path : '/';
    const pt = port(p.httpGet.port);
    if (pt !== undefined && pt !== ports[0]?.port) h.port = pt;
  } else if (isRecord(p.tcpSocket)) {
    h.tcp = true;
    const pt = port(p.tcpSocket.port);
    if (pt !== undefined && pt !== ports[0]?.port) h.port = pt;
  } else if (isRecord(p.exec) && Array.isArray(p.exec.command) && p.exec.command.length > 0) {
    h.command = p.exec.command.map(String);
  } else return undefined;
  const dur = (v: unknown): string | undefined =>
    typeof v === 'number' && v > 0 ? secondsToDuration(v) : undefined;
  if (dur(p.periodSeconds)) h.period = dur(p.periodSeconds)!;
  if (dur(p.timeoutSeconds)) h.timeout = dur(p.timeoutSeconds)!;
  if (dur(p.initialDelaySeconds)) h.initialDelay = dur(p.initialDelaySeconds)!;
  if (typeof p.failureThreshold === 'number' && p.failureThreshold >= 1)
    h.failureThreshold = p.failureThreshold;
  return h;
}

/** The first container of a pod spec. */
export function mapContainer(
  service: string,
  pod: Record<string, unknown>,
  at: KeyPath,
  report: Reporter,
): ContainerParts | undefined {
  const containers = Array.isArray(pod.containers) ? pod.containers : [];
  const c = containers[0];
  if (!isRecord(c)) {
    report.dropped(service, [...at, 'containers'], 'no container');
    return undefined;
  }
  const k = (...p: (string | number)[]): KeyPath => [...at, 'containers', 0, ...p];
  containers
    .slice(1)
    .forEach((_, i) =>
      report.dropped(
        service,
        [...at, 'containers', i + 1],
        'a sidecar: ferry runs one container per service (make it its own service, or part of the image)',
      ),
    );
  if (pod.initContainers !== undefined)
    report.dropped(
      service,
      [...at, 'initContainers'],
      'init containers: run setup as migrations (a Job before the rollout)',
    );
  const out: ContainerParts = { image: service, version: undefined };
  if (typeof c.image === 'string') {
    const { repository, tag } = splitImage(c.image);
    out.image = repository;
    out.version = tag;
    if (tag === undefined) report.mapped(service, k('image'), 'image');
    else
      report.approximated(
        service,
        k('image'),
        'image',
        `tag "${tag}" comes at deploy time: ferry deploy ${service}:${tag}`,
      );
  }
  if (c.name !== undefined)
    report.mapped(service, k('name'), 'service', 'ferry names the container after the service');
  if (Array.isArray(c.command) && c.command.length > 0) {
    out.command = c.command.map(String);
    report.mapped(service, k('command'), 'command');
  }
  if (Array.isArray(c.args) && c.args.length > 0) {
    out.args = c.args.map(String);
    report.mapped(service, k('args'), 'args');
  }
  const ports: NonNullable<Manifest['ports']> = [];
  if (Array.isArray(c.ports))
    c.ports.forEach((p, i) => {
      if (!isRecord(p) || typeof p.containerPort !== 'number')
        return report.dropped(service, k('ports', i), 'no containerPort');
      const port: NonNullable<Manifest['ports']>[number] = { port: p.containerPort };
      if (typeof p.name === 'string' && DNS.test(p.name)) port.name = p.name;
      if (p.protocol === 'UDP') port.protocol = 'UDP';
      ports.push(port);
      report.mapped(service, k('ports', i), 'ports');
    });
  if (ports.length > 0) out.ports = ports;
  if (Array.isArray(c.env)) {
    const env: Record<string, string> = {};
    const secrets: Record<string, string> = {};
    c.env.forEach((e, i) => {
      if (!isRecord(e) || typeof e.name !== 'string' || !ENV_NAME.test(e.name))
        return report.dropped(service, k('env', i), 'not a valid variable');
      const ref = isRecord(e.valueFrom) ? e.valueFrom.secretKeyRef : undefined;
      if (isRecord(ref) && typeof ref.name === 'string' && typeof ref.key === 'string') {
        secrets[e.name] = `secret:${ref.name}#${ref.key}`;
        report.mapped(service, k('env', i), `secrets.${e.name}`);
      } else if (e.valueFrom !== undefined) {
        report.dropped(
          service,
          k('env', i),
          'configMapKeyRef/fieldRef/resourceFieldRef are not modelled: set the value in env or use a secret',
        );
      } else {
        env[e.name] = String(e.value ?? '');
        report.mapped(service, k('env', i), `env.${e.name}`);
      }
    });
    if (Object.keys(env).length > 0) out.env = sortRecord(env);
    if (Object.keys(secrets).length > 0) out.secrets = sortRecord(secrets);
  }
  if (c.envFrom !== undefined)
    report.dropped(service, k('envFrom'), 'envFrom is not modelled: list the variables in env, or secrets');
  const lim = isRecord(c.resources) && isRecord(c.resources.limits) ? c.resources.limits : {};
  const req = isRecord(c.resources) && isRecord(c.resources.requests) ? c.resources.requests : {};
  const res: Resources = {};
  for (const [field, parse] of [
    ['cpu', quantityCpu],
    ['memory', quantityMemory],
  ] as const) {
    const l = parse(lim[field]);
    const r = parse(req[field]);
    if (l !== undefined) {
      res[field] = l;
      report.mapped(service, k('resources', 'limits', field), `resources.${field}`, 'the limit');
    } else if (lim[field] !== undefined)
      report.dropped(service, k('resources', 'limits', field), 'not a quantity ferry reads');
    if (req[field] !== undefined) {
      if (l === undefined && r !== undefined) {
        res[field] = r;
        report.approximated(
          service,
          k('resources', 'requests', field),
          `resources.${field}`,
          'no limit: the request becomes the limit; the request is then limit × policy ratio',
        );
      } else
        report.approximated(
          service,
          k('resources', 'requests', field),
          `policy.${field}RequestRatio`,
          'ferry derives requests from the limit × policy ratio (one ratio for all services)',
        );
    }
  }
  if (Object.keys(res).length > 0) out.resources = res;
  const probeField = isRecord(c.readinessProbe)
    ? 'readinessProbe'
    : isRecord(c.livenessProbe)
      ? 'livenessProbe'
      : undefined;
  if (probeField) {
    const h = probe(c[probeField] as Record<string, unknown>, ports);
    if (h) {
      if (isRecord(c.startupProbe)) {
        const sp = c.startupProbe;
        const budget = (Number(sp.failureThreshold ?? 3) || 3) * (Number(sp.periodSeconds ?? 10) || 10);
        h.startup = secondsToDuration(budget)!;
        report.approximated(
          service,
          k('startupProbe'),
          'health.startup',
          `the startup budget: failureThreshold × period = ${budget}s`,
        );
      }
      out.health = h;
      report.mapped(service, k(probeField), 'health');
      const other = probeField === 'readinessProbe' ? 'livenessProbe' : undefined;
      if (other && c[other] !== undefined)
        report.approximated(
          service,
          k(other),
          'health',
          'ferry derives readiness and liveness from one health check',
        );
    } else report.dropped(service, k(probeField), 'a probe ferry cannot express (grpc?)');
  }
  if (isRecord(c.startupProbe) && !probeField)
    report.dropped(service, k('startupProbe'), 'a startup probe alone is not modelled');
  for (const f of [
    'securityContext',
    'lifecycle',
    'workingDir',
    'stdin',
    'tty',
    'imagePullPolicy',
    'terminationMessagePath',
    'terminationMessagePolicy',
  ])
    if (c[f] !== undefined)
      report.dropped(
        service,
        k(f),
        f === 'imagePullPolicy'
          ? 'ferry pins the tag at deploy time (IfNotPresent)'
          : 'not modelled by ferry',
      );
  return out;
}

/** ["/bin/sh", "-c", script] is how ferry renders a shell command: read it back as one. */
export function shellForm(
  cmd: string[] | undefined,
  args: string[] | undefined,
): string | string[] | undefined {
  if (cmd && cmd.length === 3 && cmd[0] === '/bin/sh' && cmd[1] === '-c' && !args?.length) return cmd[2];
  return cmd;
}

export function applyContainer(m: Manifest, c: ContainerParts): void {
  m.image = c.image;
  const cmd = shellForm(c.command, c.args);
  if (cmd) m.command = cmd;
  if (c.args) m.args = c.args;
  if (c.ports) {
    if (
      c.ports.length === 1 &&
      c.ports[0]!.protocol !== 'UDP' &&
      (c.ports[0]!.name === undefined || c.ports[0]!.name === 'http')
    )
      m.port = c.ports[0]!.port;
    else m.ports = c.ports;
  }
  if (c.health) m.health = c.health;
  if (c.resources) m.resources = c.resources;
  if (c.env) m.env = c.env;
  if (c.secrets) m.secrets = c.secrets;
}

export function serviceName(name: unknown): string {
  return toDnsLabel(String(name ?? 'service'));
}
