// One Marathon app → one ferry ServiceManifest, reporting every field it reads.
import type { ServiceManifest } from '../../manifest/schema.ts';
import type { Reporter } from '../report.ts';
import type { ImportedService } from '../types.ts';
import { isRecord, type KeyPath } from '../source.ts';
import { splitImage, toDnsLabel } from '../names.ts';
import { coresToCpu, ENV_NAME, mibToMemory, secondsToDuration, sortRecord } from '../common.ts';

type Manifest = ServiceManifest;
type Health = Exclude<NonNullable<Manifest['health']>, string>;
type Route = NonNullable<Manifest['routes']>[number];

/** Fields the Marathon API reports about running apps: state, not configuration. */
const RUNTIME = new Set([
  'tasks',
  'tasksRunning',
  'tasksStaged',
  'tasksHealthy',
  'tasksUnhealthy',
  'version',
  'versionInfo',
  'deployments',
  'lastTaskFailure',
  'healthCheckResults',
  'readinessCheckResults',
  'taskStats',
]);

const DROP_REASONS: Readonly<Record<string, string>> = {
  dependencies: 'start order between apps is not modelled: make the service retry its dependencies',
  acceptedResourceRoles: 'Mesos resource roles have no Kubernetes equivalent (use placement.nodeSelector)',
  uris: 'files fetched at start: bake them into the image',
  fetch: 'files fetched at start: bake them into the image',
  storeUrls: 'files fetched at start: bake them into the image',
  user: 'ferry runs the image’s user (set USER in the Dockerfile)',
  disk: 'ephemeral disk is not modelled',
  gpus: 'GPUs are not modelled',
  executor: 'Mesos executors have no Kubernetes equivalent',
  requirePorts: 'pods have their own IP: no host ports to reserve',
  residency: 'Mesos resident tasks: use volumes',
  killSelection: 'Kubernetes picks which pods to remove when scaling down',
  unreachableStrategy: 'the node controller evicts pods from unreachable nodes',
  taskKillGracePeriodSeconds: 'ferry uses Kubernetes’ termination grace period (30s)',
  ipAddress: 'every pod has its own IP address',
  networks: 'every pod has its own IP address; no networks to declare',
  role: 'Mesos roles have no Kubernetes equivalent',
  maxLaunchDelaySeconds: 'Kubernetes restarts crashing containers with its own back-off (up to 5 minutes)',
  backoffSeconds: 'Kubernetes restarts crashing containers with its own back-off',
  backoffFactor: 'Kubernetes restarts crashing containers with its own back-off',
};

export interface AppContext {
  app: Record<string, unknown>;
  /** where the app sits in the file, e.g. ['groups', 0, 'apps', 1] */
  at: KeyPath;
  name: string;
  report: Reporter;
}

export function mapApp(ctx: AppContext): ImportedService {
  const { app, report, name } = ctx;
  const at = (...p: (string | number)[]): KeyPath => [...ctx.at, ...p];
  const m: Manifest = { service: name, image: name };
  let version: string | undefined;
  report.approximated(
    name,
    at('id'),
    'service',
    `"${String(app.id)}" → "${name}" (a DNS label; groups become part of the name)`,
  );

  // Container and image.
  const container = isRecord(app.container) ? app.container : undefined;
  const docker = container && isRecord(container.docker) ? container.docker : undefined;
  const image = typeof docker?.image === 'string' ? docker.image : undefined;
  if (image !== undefined) {
    const { repository, tag } = splitImage(image);
    m.image = repository;
    version = tag;
    if (tag === undefined) report.mapped(name, at('container', 'docker', 'image'), 'image');
    else
      report.approximated(
        name,
        at('container', 'docker', 'image'),
        'image',
        `tag "${tag}" comes at deploy time: ferry deploy ${name}:${tag}`,
      );
  } else {
    report.approximated(
      name,
      container ? at('container') : at('id'),
      'image',
      `no container image: the command ran on the Mesos agent; build an image that holds it and push it as "${name}"`,
    );
  }
  if (container) {
    if (container.type !== undefined)
      report.mapped(name, at('container', 'type'), 'image', 'ferry runs OCI images');
    if (docker) {
      for (const k of Object.keys(docker)) {
        if (k === 'image' || k === 'portMappings') continue;
        const key = at('container', 'docker', k);
        if (k === 'forcePullImage')
          report.approximated(
            name,
            key,
            'image',
            'ferry pins the tag at deploy time, so a pull is never stale',
          );
        else if (k === 'network')
          report.approximated(
            name,
            key,
            'ports',
            `"${String(docker[k])}": every pod has its own IP; container ports are reachable directly`,
          );
        else if (k === 'privileged') report.dropped(name, key, 'ferry does not run privileged containers');
        else if (k === 'parameters')
          report.dropped(name, key, 'docker run parameters have no Kubernetes equivalent');
      }
    }
    mapVolumes(ctx, m, at, container);
  }

  // Command.
  if (typeof app.cmd === 'string' && app.cmd !== '') {
    m.command = app.cmd;
    report.mapped(name, at('cmd'), 'command', 'shell form (/bin/sh -c), like Marathon');
  } else if (app.cmd !== undefined && app.cmd !== null) report.dropped(name, at('cmd'), 'empty');
  if (Array.isArray(app.args) && app.args.length > 0) {
    m.args = app.args.map(String);
    report.mapped(name, at('args'), 'args');
  }

  // Resources: Marathon's cpus/mem are what the task reserved; ferry reads them as the LIMIT and
  // derives requests from policy ratios (ANNA's pitfall: requests = limits throttles CPU).
  const resources: { cpu?: string | number; memory?: string } = {};
  const cpu = coresToCpu(app.cpus);
  if (cpu !== undefined) {
    resources.cpu = cpu;
    report.mapped(
      name,
      at('cpus'),
      'resources.cpu',
      'the limit; the request is limit × policy.cpuRequestRatio (not request = limit)',
    );
  } else if (app.cpus !== undefined) report.dropped(name, at('cpus'), 'not a positive number');
  const mem = mibToMemory(app.mem);
  if (mem !== undefined) {
    resources.memory = mem;
    report.mapped(name, at('mem'), 'resources.memory', 'MiB; the limit');
  } else if (app.mem !== undefined) report.dropped(name, at('mem'), 'not a positive number');
  if (Object.keys(resources).length > 0) m.resources = resources;
  if (app.instances !== undefined) {
    const n = Number(app.instances);
    if (Number.isInteger(n) && n >= 0) {
      m.instances = n;
      report.mapped(name, at('instances'), 'instances');
    } else report.dropped(name, at('instances'), 'not a whole number');
  }

  mapEnv(ctx, m, at);
  const ports = mapPorts(ctx, m, at, docker);
  mapHealth(ctx, m, at, ports);
  mapLabels(ctx, m, at);
  mapConstraints(ctx, m, at);

  if (isRecord(app.upgradeStrategy))
    for (const k of Object.keys(app.upgradeStrategy))
      report.approximated(
        name,
        at('upgradeStrategy', k),
        '(rollout)',
        k === 'minimumHealthCapacity'
          ? 'ferry rolls out with maxUnavailable 0 (minimumHealthCapacity 1)'
          : 'ferry rolls out with maxSurge 25%',
      );
  if (app.readinessChecks !== undefined)
    report.approximated(
      name,
      at('readinessChecks'),
      'health',
      'ferry derives readiness from the health check',
    );
  for (const [k, why] of Object.entries(DROP_REASONS))
    if (app[k] !== undefined) report.dropped(name, at(k), why);
  for (const k of Object.keys(app))
    if (RUNTIME.has(k))
      report.dropped(name, at(k), 'runtime state reported by the Marathon API, not configuration');
  return { manifest: m, version, raw: app };
}

function mapVolumes(
  ctx: AppContext,
  m: Manifest,
  at: (...p: (string | number)[]) => KeyPath,
  container: Record<string, unknown>,
): void {
  const { report, name } = ctx;
  if (!Array.isArray(container.volumes)) return;
  const vols: NonNullable<Manifest['volumes']> = [];
  container.volumes.forEach((v, i) => {
    const key = at('container', 'volumes', i);
    if (!isRecord(v)) return report.dropped(name, key, 'not a volume');
    const path = String(v.containerPath ?? '');
    if (isRecord(v.persistent)) {
      const size = mibToMemory(v.persistent.size) ?? '1Gi';
      const abs = path.startsWith('/') ? path : `/${path}`;
      const vn = toDnsLabel(path.split('/').filter(Boolean).pop() ?? `data-${i}`);
      vols.push({ name: vn, path: abs, size });
      report.approximated(
        name,
        key,
        `volumes.${vn}`,
        `a PersistentVolumeClaim of ${size}${path.startsWith('/') ? '' : ` mounted at ${abs} (Marathon paths are relative to the sandbox)`}`,
      );
    } else if (isRecord(v.external))
      report.dropped(
        name,
        key,
        `external volume "${String(v.external.name ?? '')}" (${String(v.external.provider ?? 'driver')}): create a PersistentVolume for it and add it under volumes`,
      );
    else if (v.hostPath !== undefined)
      report.dropped(
        name,
        key,
        `host path ${String(v.hostPath)}: pods move between nodes; use a volume or bake the files into the image`,
      );
    else report.dropped(name, key, 'volume kind not modelled');
  });
  if (vols.length > 0) m.volumes = vols;
}

function mapEnv(ctx: AppContext, m: Manifest, at: (...p: (string | number)[]) => KeyPath): void {
  const { app, report, name } = ctx;
  if (!isRecord(app.env)) return;
  const env: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  const appSecrets = isRecord(app.secrets) ? app.secrets : {};
  for (const [k, v] of Object.entries(app.env)) {
    const key = at('env', k);
    if (!ENV_NAME.test(k)) {
      report.dropped(name, key, 'not a valid environment variable name');
      continue;
    }
    if (isRecord(v) && typeof v.secret === 'string') {
      const def = appSecrets[v.secret];
      const source = isRecord(def) && typeof def.source === 'string' ? def.source : v.secret;
      const secretName = toDnsLabel(source.split('/').filter(Boolean).join('-') || v.secret);
      secrets[k] = `secret:${secretName}#value`;
      report.approximated(
        name,
        key,
        `secrets.${k}`,
        `Marathon secret "${source}" → Kubernetes Secret ${secretName} key value (create it in each namespace)`,
      );
      if (isRecord(def)) report.mapped(name, at('secrets', v.secret), `secrets.${k}`);
      continue;
    }
    env[k] = String(v);
    report.mapped(name, key, `env.${k}`);
  }
  if (Object.keys(env).length > 0) m.env = sortRecord(env);
  if (Object.keys(secrets).length > 0) m.secrets = sortRecord(secrets);
}

interface PortInfo {
  port: number;
  protocol: 'TCP' | 'UDP';
}

function mapPorts(
  ctx: AppContext,
  m: Manifest,
  at: (...p: (string | number)[]) => KeyPath,
  docker: Record<string, unknown> | undefined,
): PortInfo[] {
  const { app, report, name } = ctx;
  const ports: PortInfo[] = [];
  const container = isRecord(app.container) ? app.container : undefined;
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
        report.mapped(name, at(...mappings.key, i, 'protocol'), 'ports[].protocol');
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
  return ports;
}

function mapHealth(
  ctx: AppContext,
  m: Manifest,
  at: (...p: (string | number)[]) => KeyPath,
  ports: PortInfo[],
): void {
  const { app, report, name } = ctx;
  if (!Array.isArray(app.healthChecks)) return;
  let done = false;
  app.healthChecks.forEach((hc, i) => {
    const key = at('healthChecks', i);
    if (!isRecord(hc)) return report.dropped(name, key, 'not a health check');
    if (done)
      return report.dropped(name, key, 'ferry has one health check per service (the first one is kept)');
    const protocol = String(hc.protocol ?? 'HTTP').toUpperCase();
    const h: Health = {};
    const idx = hc.portIndex === undefined ? 0 : Number(hc.portIndex);
    const port = typeof hc.port === 'number' ? hc.port : ports[idx]?.port;
    if (protocol === 'COMMAND') {
      const cmd = isRecord(hc.command) ? hc.command.value : undefined;
      if (typeof cmd !== 'string') return report.dropped(name, key, 'no command');
      h.command = cmd;
      report.mapped(name, at('healthChecks', i, 'command'), 'health.command', 'shell form');
      if (/\$(HOST|PORT)/.test(cmd))
        report.approximated(
          name,
          at('healthChecks', i, 'command'),
          'health.command',
          '$HOST/$PORT were set by Mesos: set them in env or rewrite the command for localhost',
        );
    } else if (protocol.endsWith('HTTP') || protocol.endsWith('HTTPS')) {
      h.path = typeof hc.path === 'string' && hc.path.startsWith('/') ? hc.path : '/';
      if (port !== undefined && port !== ports[0]?.port) h.port = port;
      if (protocol.endsWith('HTTPS'))
        report.approximated(
          name,
          at('healthChecks', i, 'protocol'),
          'health.path',
          'probed over HTTP (Kubernetes can probe HTTPS, ferry does not model it)',
        );
      else report.mapped(name, at('healthChecks', i, 'protocol'), 'health.path');
      if (hc.path !== undefined) report.mapped(name, at('healthChecks', i, 'path'), 'health.path');
    } else if (protocol.endsWith('TCP')) {
      h.tcp = true;
      if (port !== undefined && port !== ports[0]?.port) h.port = port;
      report.mapped(name, at('healthChecks', i, 'protocol'), 'health.tcp');
    } else return report.dropped(name, key, `protocol ${protocol} is not modelled`);
    if (hc.portIndex !== undefined) report.mapped(name, at('healthChecks', i, 'portIndex'), 'health.port');
    if (hc.port !== undefined) report.mapped(name, at('healthChecks', i, 'port'), 'health.port');
    const timing: [string, 'startup' | 'period' | 'timeout'][] = [
      ['gracePeriodSeconds', 'startup'],
      ['intervalSeconds', 'period'],
      ['timeoutSeconds', 'timeout'],
    ];
    for (const [from, to] of timing) {
      if (hc[from] === undefined) continue;
      const d = secondsToDuration(hc[from]);
      if (d === undefined || (to !== 'startup' && d === '0s')) {
        report.dropped(name, at('healthChecks', i, from), 'not a positive number of seconds');
        continue;
      }
      h[to] = d;
      if (to === 'startup')
        report.approximated(
          name,
          at('healthChecks', i, from),
          'health.startup',
          'the startup probe’s budget: liveness applies after it',
        );
      else report.mapped(name, at('healthChecks', i, from), `health.${to}`);
    }
    if (hc.maxConsecutiveFailures !== undefined) {
      const n = Number(hc.maxConsecutiveFailures);
      if (Number.isInteger(n) && n >= 1) {
        h.failureThreshold = n;
        report.mapped(name, at('healthChecks', i, 'maxConsecutiveFailures'), 'health.failureThreshold');
      } else
        report.dropped(
          name,
          at('healthChecks', i, 'maxConsecutiveFailures'),
          '0 meant "never kill": Kubernetes liveness always restarts after failureThreshold',
        );
    }
    if (hc.delaySeconds !== undefined)
      report.dropped(name, at('healthChecks', i, 'delaySeconds'), 'not modelled');
    if (hc.ignoreHttp1xx !== undefined)
      report.dropped(
        name,
        at('healthChecks', i, 'ignoreHttp1xx'),
        'Kubernetes treats 2xx and 3xx as healthy',
      );
    m.health = h;
    done = true;
  });
}

function mapLabels(ctx: AppContext, m: Manifest, at: (...p: (string | number)[]) => KeyPath): void {
  const { app, report, name } = ctx;
  if (!isRecord(app.labels)) return;
  const labels = app.labels;
  const group = typeof labels.HAPROXY_GROUP === 'string' ? labels.HAPROXY_GROUP : undefined;
  const pub = group === undefined ? undefined : group.split(',').some((g) => g.trim() === 'external');
  const routes: Route[] = [];
  for (const [k, v] of Object.entries(labels)) {
    const key = at('labels', k);
    const s = String(v);
    const vhost = /^HAPROXY_(\d+)_VHOST$/.exec(k);
    if (k === 'HAPROXY_GROUP')
      report.mapped(name, key, 'routes[].public', pub ? 'external → public' : 'internal');
    else if (vhost) {
      const idx = Number(vhost[1]);
      // a path_beg ACL: several space-separated prefixes, HAProxy flags such as -i skipped
      const raw = labels[`HAPROXY_${idx}_PATH`];
      const paths =
        typeof raw === 'string'
          ? raw
              .split(/\s+/)
              .filter((p) => p !== '' && !p.startsWith('-'))
              .map((p) => (p.startsWith('/') ? p : `/${p}`))
          : [];
      for (const host of s
        .split(',')
        .map((h) => h.trim())
        .filter(Boolean))
        for (const path of paths.length > 0 ? paths : ['/']) {
          const r: Route = { host };
          if (path !== '/') r.path = path;
          if (pub !== false) r.public = true;
          if (idx !== 0) r.port = m.ports?.[idx]?.port ?? m.port ?? idx;
          routes.push(r);
        }
      report.mapped(name, key, 'routes[].host');
    } else if (/^HAPROXY_\d+_PATH$/.test(k)) report.mapped(name, key, 'routes[].path');
    else if (/^HAPROXY_\d+_REDIRECT_TO_HTTPS$/.test(k))
      report.approximated(name, key, 'routes', 'the ingress redirects HTTP to HTTPS when TLS is on');
    else if (/^HAPROXY_DEPLOYMENT_/.test(k))
      report.approximated(
        name,
        key,
        '(rollout)',
        'marathon-lb zero-downtime/blue-green deploys: ferry rolls out with a Deployment (and weighted cut-over)',
      );
    else if (
      /^HAPROXY_\d+_(MODE|BIND_ADDR|PORT|SSL_CERT|STICKY|BACKEND_.*|FRONTEND_.*|HTTP_.*|USE_.*)$/.test(k) ||
      k.startsWith('HAPROXY_')
    )
      report.dropped(
        name,
        key,
        'an HAProxy template setting: the ingress controller’s settings are not modelled (ferry parity checks forwarded headers)',
      );
    else report.dropped(name, key, 'label: ferry sets its own labels; this one is not carried over');
  }
  if (group !== undefined && routes.length === 0) routes.push(pub ? { public: true } : {});
  if (routes.length > 0) m.routes = routes;
}

function mapConstraints(ctx: AppContext, m: Manifest, at: (...p: (string | number)[]) => KeyPath): void {
  const { app, report, name } = ctx;
  if (!Array.isArray(app.constraints)) return;
  const sel: Record<string, string> = {};
  app.constraints.forEach((c, i) => {
    const key = at('constraints', i);
    const parts = Array.isArray(c) ? c.map(String) : typeof c === 'string' ? c.split(':') : [];
    const [field, op, value] = parts;
    if (op === 'CLUSTER' && field !== undefined && value !== undefined && field !== 'hostname') {
      sel[field] = value;
      report.mapped(name, key, `placement.nodeSelector.${field}`, 'label the Kubernetes nodes the same way');
    } else if (field === 'hostname' && op === 'UNIQUE')
      report.dropped(
        name,
        key,
        'one instance per host needs pod anti-affinity, which ferry does not model (the scheduler spreads replicas by default)',
      );
    else
      report.dropped(
        name,
        key,
        `constraint ${parts.join(':')} is not modelled (ferry places by node labels only)`,
      );
  });
  if (Object.keys(sel).length > 0) m.placement = { nodeSelector: sel };
}
