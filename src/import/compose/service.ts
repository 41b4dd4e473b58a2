// One compose service → one ferry ServiceManifest, reporting every field it reads.
import { formatDuration, parseDuration } from '../../model/duration.ts';
import { formatMemory } from '../../model/quantity.ts';
import type { ServiceManifest } from '../../manifest/schema.ts';
import type { Reporter } from '../report.ts';
import type { ImportedService } from '../types.ts';
import { isRecord, type KeyPath } from '../source.ts';
import { ENV_NAME, sortRecord } from '../common.ts';
import { splitImage, toDnsLabel, toEnvName } from '../names.ts';
import { splitWords } from './shellwords.ts';
import { parseKomposeExpose, parseTraefikV1Rule, parseTraefikV2Rule, type ParsedRoute } from './labels.ts';

type Manifest = ServiceManifest;
type Health = Exclude<NonNullable<Manifest['health']>, string>;
type Route = NonNullable<Manifest['routes']>[number];
type Cron = NonNullable<Manifest['crons']>[number];

export interface ServiceContext {
  /** the compose service key */
  key: string;
  /** the ferry service name */
  name: string;
  svc: Record<string, unknown>;
  project: Record<string, unknown>;
  vars: Readonly<Record<string, string>>;
  /** env_file path as written → its parsed variables (read beforehand) */
  envFiles: ReadonlyMap<string, Record<string, string> | Error>;
  report: Reporter;
}

/** Reasons for fields ferry deliberately does not carry over. */
const DROP_REASONS: Readonly<Record<string, string>> = {
  depends_on:
    'Kubernetes starts services independently; make the service retry its dependencies (readiness gates traffic)',
  networks: 'every service in a namespace reaches the others by name; no networks to declare',
  links: 'every service in a namespace reaches the others by name (links are not needed)',
  external_links: 'every service in a namespace reaches the others by name',
  container_name: 'Kubernetes names pods itself',
  hostname: 'Kubernetes names pods itself',
  domainname: 'Kubernetes names pods itself',
  logging: 'containers log to stdout; the cluster collects logs',
  cap_add: 'ferry does not model Linux capabilities (securityContext)',
  cap_drop: 'ferry does not model Linux capabilities (securityContext)',
  privileged: 'ferry does not run privileged containers',
  security_opt: 'ferry does not model security options (securityContext)',
  read_only: 'ferry does not model a read-only root filesystem (securityContext)',
  user: 'ferry runs the image’s user (set USER in the Dockerfile)',
  stop_grace_period: 'ferry uses Kubernetes’ termination grace period (30s)',
  stop_signal: 'Kubernetes sends SIGTERM; handle it in the service',
  ulimits: 'ferry does not model ulimits',
  sysctls: 'ferry does not model sysctls',
  tmpfs: 'ferry does not mount tmpfs; write temporary files under /tmp',
  extra_hosts: 'ferry does not edit /etc/hosts; use DNS names',
  dns: 'the cluster provides DNS',
  dns_search: 'the cluster provides DNS',
  pid: 'ferry does not share process namespaces',
  ipc: 'ferry does not share IPC namespaces',
  network_mode: 'pods have their own network; host networking is not modelled',
  init: 'ferry does not inject an init process',
  working_dir: 'ferry runs in the image’s WORKDIR (set it in the Dockerfile)',
  platform: 'the cluster’s nodes decide the platform',
  pull_policy: 'ferry pins image tags at deploy time (IfNotPresent)',
  profiles: 'ferry deploys every service; profiles select services locally only',
  develop: 'compose watch is for local development',
  annotations: 'ferry sets its own annotations',
  mem_limit: 'legacy v2 field; write deploy.resources.limits.memory',
  cpus: 'legacy v2 field; write deploy.resources.limits.cpus',
  scale: 'legacy field; write deploy.replicas',
  devices: 'ferry does not pass host devices',
  volumes_from: 'ferry does not share volumes between services',
  cgroup_parent: 'the kubelet manages cgroups',
  tty: 'services run without a terminal',
  stdin_open: 'services run without a terminal',
};

export function mapService(ctx: ServiceContext): ImportedService {
  const { svc, report, name } = ctx;
  const at = (...p: (string | number)[]): KeyPath => ['services', ctx.key, ...p];
  const m: Manifest = { service: name, image: name };
  let version: string | undefined;

  if (name !== ctx.key)
    report.approximated(name, at(), 'service', `renamed "${ctx.key}" → "${name}" (a DNS label)`);

  // image / build
  if (typeof svc.image === 'string' && svc.image !== '') {
    const { repository, tag } = splitImage(svc.image);
    m.image = repository;
    version = tag;
    if (tag === undefined) report.mapped(name, at('image'), 'image');
    else
      report.approximated(
        name,
        at('image'),
        'image',
        `tag "${tag}" comes at deploy time: ferry deploy ${name}:${tag}`,
      );
  }
  if (svc.build !== undefined) {
    if (typeof svc.image === 'string')
      report.dropped(name, at('build'), 'ferry deploys built images; build and push in CI');
    else
      report.approximated(
        name,
        at('build'),
        'image',
        `no image: build in CI and push it as "${name}" (or set image in ferry.yaml)`,
      );
  }

  mapCommand(ctx, m, at);
  mapEnvironment(ctx, m, at);
  mapPorts(ctx, m, at);
  mapDeploy(ctx, m, at);
  mapSecrets(ctx, m, at);
  mapVolumes(ctx, m, at);
  mapLabels(ctx, m, at);
  mapHealth(ctx, m, at);

  if (svc.restart !== undefined) {
    const r = String(svc.restart);
    if (m.crons !== undefined) report.mapped(name, at('restart'), 'crons', 'a cron run is not restarted');
    else if (r === 'no')
      report.approximated(
        name,
        at('restart'),
        'instances',
        'Kubernetes restarts a Deployment’s containers always; a one-shot task belongs in migrations, checks or crons',
      );
    else
      report.approximated(
        name,
        at('restart'),
        '(Deployment)',
        `Kubernetes restarts containers always, with back-off ("${r}")`,
      );
  }
  if (svc.configs !== undefined)
    report.dropped(
      name,
      at('configs'),
      'ferry does not mount config files: bake them into the image or pass values as env',
    );
  for (const [k, why] of Object.entries(DROP_REASONS)) {
    if (svc[k] === undefined) continue;
    const detail = k === 'depends_on' ? ` (was: ${dependsOn(svc[k]).join(', ')})` : '';
    report.dropped(name, at(k), why + detail);
  }
  for (const k of Object.keys(svc))
    if (k.startsWith('x-')) report.dropped(name, at(k), 'extension field: ignored by compose too');
  return { manifest: m, version, raw: svc };
}

function dependsOn(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (isRecord(v)) return Object.keys(v);
  return [];
}

function toCommand(v: unknown): string[] | undefined {
  if (typeof v === 'string') return splitWords(v);
  if (Array.isArray(v)) return v.map(String);
  return undefined;
}

function mapCommand(ctx: ServiceContext, m: Manifest, at: (...p: (string | number)[]) => KeyPath): void {
  const { svc, report, name } = ctx;
  // compose `entrypoint` replaces the image ENTRYPOINT (Kubernetes `command`); compose `command`
  // replaces CMD (Kubernetes `args`). ferry keeps the same split: command + args.
  const entry = toCommand(svc.entrypoint);
  const cmd = toCommand(svc.command);
  if (entry !== undefined && entry.length > 0) {
    m.command = entry;
    report.mapped(name, at('entrypoint'), 'command', 'exec form (the image ENTRYPOINT is replaced)');
  } else if (svc.entrypoint !== undefined) report.dropped(name, at('entrypoint'), 'empty entrypoint');
  if (cmd !== undefined && cmd.length > 0) {
    m.args = cmd;
    report.mapped(
      name,
      at('command'),
      'args',
      typeof svc.command === 'string' ? 'split into words like compose does' : 'exec form',
    );
  } else if (svc.command !== undefined) report.dropped(name, at('command'), 'empty command');
}

function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const body = line.startsWith('export ') ? line.slice(7) : line;
    const eq = body.indexOf('=');
    if (eq < 0) continue;
    let value = body.slice(eq + 1).trim();
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1);
    out[body.slice(0, eq).trim()] = value;
  }
  return out;
}
export { parseEnvFile };

function mapEnvironment(ctx: ServiceContext, m: Manifest, at: (...p: (string | number)[]) => KeyPath): void {
  const { svc, report, name } = ctx;
  const env: Record<string, string | number | boolean> = {};
  const files = svc.env_file === undefined ? [] : Array.isArray(svc.env_file) ? svc.env_file : [svc.env_file];
  files.forEach((f, i) => {
    const path = typeof f === 'string' ? f : isRecord(f) ? String(f.path) : String(f);
    const key = Array.isArray(svc.env_file) ? at('env_file', i) : at('env_file');
    const parsed = ctx.envFiles.get(path);
    if (parsed === undefined || parsed instanceof Error) {
      report.dropped(name, key, `cannot read env file ${path}: ${parsed?.message ?? 'not found'}`);
      return;
    }
    Object.assign(env, parsed);
    report.approximated(
      name,
      key,
      'env',
      `values inlined from ${path} (${Object.keys(parsed).length} variables)`,
    );
  });
  if (isRecord(svc.environment)) {
    for (const [k, v] of Object.entries(svc.environment)) {
      const key = at('environment', k);
      if (!ENV_NAME.test(k)) {
        report.dropped(name, key, 'not a valid environment variable name');
        continue;
      }
      if (v === null || v === undefined) {
        const fromHost = ctx.vars[k];
        if (fromHost === undefined) {
          report.dropped(
            name,
            key,
            'no value: compose takes it from the shell; set it in ferry.yaml or a secret',
          );
          continue;
        }
        env[k] = fromHost;
        report.approximated(name, key, `env.${k}`, 'value taken from the import environment');
        continue;
      }
      env[k] = typeof v === 'number' || typeof v === 'boolean' ? v : String(v);
      report.mapped(name, key, `env.${k}`);
    }
  } else if (svc.environment !== undefined) report.dropped(name, at('environment'), 'not a mapping or list');
  const valid = Object.fromEntries(Object.entries(env).filter(([k]) => ENV_NAME.test(k)));
  if (Object.keys(valid).length > 0) m.env = sortRecord(valid);
}

interface PortSpec {
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

function mapPorts(ctx: ServiceContext, m: Manifest, at: (...p: (string | number)[]) => KeyPath): void {
  const { svc, report, name } = ctx;
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
}

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

function composeCpu(v: unknown): string | number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isFinite(n) || n <= 0) return undefined;
  const millis = Math.round(n * 1000);
  return millis % 1000 === 0 ? millis / 1000 : `${millis}m`;
}

function mapDeploy(ctx: ServiceContext, m: Manifest, at: (...p: (string | number)[]) => KeyPath): void {
  const { report, name } = ctx;
  const d = ctx.svc.deploy;
  if (d === undefined) return;
  if (!isRecord(d)) {
    report.dropped(name, at('deploy'), 'not a mapping');
    return;
  }
  const mode = d.mode === undefined ? 'replicated' : String(d.mode);
  if (d.replicas !== undefined) {
    const n = Number(d.replicas);
    if (Number.isInteger(n) && n >= 0) {
      m.instances = n;
      report.mapped(name, at('deploy', 'replicas'), 'instances');
    } else report.dropped(name, at('deploy', 'replicas'), 'not a whole number');
  }
  if (d.mode !== undefined) {
    if (mode === 'replicated') report.mapped(name, at('deploy', 'mode'), 'instances');
    else if (mode === 'global')
      report.approximated(
        name,
        at('deploy', 'mode'),
        'instances',
        'one instance per node (a DaemonSet) is not modelled: ferry runs a Deployment; set instances to the node count, or run node agents outside ferry',
      );
    else
      report.approximated(
        name,
        at('deploy', 'mode'),
        'crons',
        `"${mode}" runs to completion: ferry models one-shot work as migrations, checks or crons`,
      );
  }
  const res = d.resources;
  if (isRecord(res)) {
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
  }
  const uc = d.update_config;
  if (isRecord(uc)) {
    for (const [k, v] of Object.entries(uc)) {
      const key = at('deploy', 'update_config', k);
      if (k === 'order')
        report.approximated(
          name,
          key,
          '(rollout)',
          v === 'start-first'
            ? 'ferry rolls out start-first (maxSurge 25%, maxUnavailable 0)'
            : 'stop-first is not kept: ferry rolls out start-first (maxUnavailable 0), which needs room for one more pod',
        );
      else if (k === 'failure_action')
        report.approximated(
          name,
          key,
          '(deploy process)',
          v === 'rollback'
            ? 'ferry reverts a failed rollout to the previous release'
            : `"${String(v)}": ferry reverts a failed rollout instead`,
        );
      else if (k === 'monitor')
        report.approximated(
          name,
          key,
          'environments.<env>.observe',
          'watch time after a rollout is per environment in ferry.platform.yaml',
        );
      else
        report.approximated(
          name,
          key,
          '(rollout)',
          'Kubernetes rolling update pace replaces Swarm’s parallelism/delay',
        );
    }
  }
  if (d.rollback_config !== undefined)
    report.approximated(
      name,
      at('deploy', 'rollback_config'),
      '(rollback)',
      'ferry rolls back by re-applying the previous release',
    );
  if (d.restart_policy !== undefined)
    report.approximated(
      name,
      at('deploy', 'restart_policy'),
      '(Deployment)',
      'Kubernetes restarts containers always, with exponential back-off',
    );
  const pl = d.placement;
  if (isRecord(pl)) {
    const sel: Record<string, string> = {};
    const cons = Array.isArray(pl.constraints) ? pl.constraints : [];
    cons.forEach((c, i) => {
      const key = at('deploy', 'placement', 'constraints', i);
      const mm = /^\s*node\.labels\.([^\s=!]+)\s*==\s*(\S+)\s*$/.exec(String(c));
      if (mm) {
        sel[mm[1] ?? ''] = mm[2] ?? '';
        report.mapped(name, key, `placement.nodeSelector.${mm[1] ?? ''}`);
      } else
        report.dropped(
          name,
          key,
          `"${String(c)}": ferry places by node labels (placement.nodeSelector) only; label the nodes and use ==`,
        );
    });
    if (Object.keys(sel).length > 0) m.placement = { nodeSelector: sel };
    if (pl.preferences !== undefined)
      report.dropped(
        name,
        at('deploy', 'placement', 'preferences'),
        'spread preferences are not modelled (the scheduler spreads replicas by default)',
      );
    if (pl.max_replicas_per_node !== undefined)
      report.dropped(
        name,
        at('deploy', 'placement', 'max_replicas_per_node'),
        'not modelled (pod anti-affinity)',
      );
  }
  if (d.endpoint_mode !== undefined)
    report.approximated(
      name,
      at('deploy', 'endpoint_mode'),
      'ports',
      'ferry gives every service a ClusterIP Service (like vip)',
    );
}

function seconds(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  try {
    const s = parseDuration(v.replace(/us$/, '').replace(/ns$/, ''));
    return formatDuration(Math.max(s, 1));
  } catch {
    return undefined;
  }
}

function mapHealth(ctx: ServiceContext, m: Manifest, at: (...p: (string | number)[]) => KeyPath): void {
  const { report, name } = ctx;
  const hc = ctx.svc.healthcheck;
  if (hc === undefined) return;
  if (!isRecord(hc)) return report.dropped(name, at('healthcheck'), 'not a mapping');
  if (hc.disable === true) return report.mapped(name, at('healthcheck'), 'health', 'disabled: no probes');
  const test = hc.test;
  let command: string | string[] | undefined;
  if (typeof test === 'string') command = test;
  else if (Array.isArray(test)) {
    const [kind, ...rest] = test.map(String);
    if (kind === 'NONE') return report.mapped(name, at('healthcheck'), 'health', 'NONE: no probes');
    if (kind === 'CMD-SHELL') command = rest.join(' ');
    else if (kind === 'CMD') command = rest;
    else command = test.map(String);
  }
  const h: Health = typeof m.health === 'object' ? m.health : {};
  const fromLabels = h.path !== undefined || h.tcp === true || h.command !== undefined;
  if (command !== undefined && command.length > 0 && !fromLabels) {
    h.command = command;
    report.mapped(
      name,
      at('healthcheck', 'test'),
      'health.command',
      typeof command === 'string' ? 'shell form (/bin/sh -c)' : 'exec form',
    );
  } else if (command !== undefined && command.length > 0) {
    report.approximated(
      name,
      at('healthcheck', 'test'),
      'health',
      'kompose probe labels take precedence over the test',
    );
  } else if (!fromLabels) {
    report.dropped(name, at('healthcheck'), 'no test command: nothing to probe');
    return;
  }
  const timing: [string, keyof Health, string][] = [
    ['interval', 'period', 'mapped'],
    ['timeout', 'timeout', 'mapped'],
    ['start_period', 'startup', 'approximated'],
  ];
  for (const [from, to, how] of timing) {
    if (hc[from] === undefined) continue;
    const d = seconds(hc[from]);
    if (d === undefined) {
      report.dropped(name, at('healthcheck', from), 'not a duration');
      continue;
    }
    (h as Record<string, unknown>)[to] = d;
    if (how === 'mapped') report.mapped(name, at('healthcheck', from), `health.${to}`);
    else
      report.approximated(
        name,
        at('healthcheck', from),
        `health.${to}`,
        'the startup probe’s budget: liveness starts after it',
      );
  }
  if (hc.retries !== undefined) {
    const n = Number(hc.retries);
    if (Number.isInteger(n) && n >= 1) {
      h.failureThreshold = n;
      report.mapped(name, at('healthcheck', 'retries'), 'health.failureThreshold');
    } else report.dropped(name, at('healthcheck', 'retries'), 'must be at least 1');
  }
  if (hc.start_interval !== undefined)
    report.dropped(name, at('healthcheck', 'start_interval'), 'Kubernetes probes use one period');
  m.health = h;
  addProbePort(m, h);
}

/** ferry probes declared ports only: a probe on another port adds that port to the service. */
function addProbePort(m: Manifest, h: Health): void {
  if (typeof h.port !== 'number') return;
  const ports = m.ports ?? (m.port !== undefined ? [{ port: m.port }] : []);
  if (ports.some((p) => p.port === h.port)) return;
  delete m.port;
  m.ports = [...ports, { port: h.port }];
}

function mapSecrets(ctx: ServiceContext, m: Manifest, at: (...p: (string | number)[]) => KeyPath): void {
  const { report, name } = ctx;
  const list = ctx.svc.secrets;
  if (list === undefined) return;
  if (!Array.isArray(list)) return report.dropped(name, at('secrets'), 'not a list');
  const top = isRecord(ctx.project.secrets) ? ctx.project.secrets : {};
  const out: Record<string, string> = { ...(m.secrets ?? {}) };
  list.forEach((s, i) => {
    const source = typeof s === 'string' ? s : isRecord(s) ? String(s.source ?? '') : '';
    if (source === '') return report.dropped(name, at('secrets', i), 'no secret name');
    const def = top[source];
    const external = isRecord(def) && (def.external === true || isRecord(def.external));
    const secretName = toDnsLabel(
      isRecord(def) && typeof def.name === 'string'
        ? def.name
        : isRecord(def) && isRecord(def.external) && typeof def.external.name === 'string'
          ? def.external.name
          : source,
    );
    const keyName = source.replace(/[^-._a-zA-Z0-9]/g, '_');
    const target = isRecord(s) && typeof s.target === 'string' ? s.target : source;
    const env = toEnvName(target.split('/').pop() ?? target);
    out[env] = `secret:${secretName}#${keyName}`;
    const origin = external
      ? 'an existing (external) secret'
      : isRecord(def) && typeof def.file === 'string'
        ? `a secret made from the file ${def.file}`
        : isRecord(def) && typeof def.environment === 'string'
          ? `a secret made from the variable ${def.environment}`
          : 'a secret';
    report.approximated(
      name,
      at('secrets', i),
      `secrets.${env}`,
      `was the file /run/secrets/${target}; now env ${env} from Kubernetes Secret ${secretName} key ${keyName} (${origin}; create it in each namespace) — the service must read the variable`,
    );
  });
  if (Object.keys(out).length > 0) m.secrets = sortRecord(out);
}

function mapVolumes(ctx: ServiceContext, m: Manifest, at: (...p: (string | number)[]) => KeyPath): void {
  const { report, name } = ctx;
  const list = ctx.svc.volumes;
  if (list === undefined) return;
  if (!Array.isArray(list)) return report.dropped(name, at('volumes'), 'not a list');
  const top = isRecord(ctx.project.volumes) ? ctx.project.volumes : {};
  const vols: NonNullable<Manifest['volumes']> = [];
  list.forEach((v, i) => {
    const key = at('volumes', i);
    let type: string;
    let source = '';
    let target = '';
    if (typeof v === 'string') {
      const parts = v.split(':');
      if (parts.length === 1) {
        type = 'anonymous';
        target = parts[0] ?? '';
      } else {
        source = parts[0] ?? '';
        target = parts[1] ?? '';
        type = /^[./~]/.test(source) || source.includes('/') ? 'bind' : 'volume';
      }
    } else if (isRecord(v)) {
      type = String(v.type ?? 'volume');
      source = String(v.source ?? '');
      target = String(v.target ?? '');
      if (type === 'volume' && source === '') type = 'anonymous';
    } else return report.dropped(name, key, 'not a volume');
    if (type === 'bind')
      return report.dropped(
        name,
        key,
        `host path ${source}: pods move between nodes; use a named volume, a ConfigMap baked into the image, or object storage`,
      );
    if (type === 'tmpfs') return report.dropped(name, key, 'tmpfs: write temporary files under /tmp');
    if (type === 'anonymous')
      return report.dropped(
        name,
        key,
        `anonymous volume at ${target}: its data does not outlive the container; use a named volume to keep it`,
      );
    if (type !== 'volume') return report.dropped(name, key, `volume type "${type}" is not modelled`);
    if (!target.startsWith('/')) return report.dropped(name, key, 'no absolute target path');
    const def = top[source];
    const volName = toDnsLabel(source);
    const vol: NonNullable<Manifest['volumes']>[number] = { name: volName, path: target, size: '100Mi' };
    vols.push(vol);
    const ext = isRecord(def) && (def.external === true || isRecord(def.external));
    report.approximated(
      name,
      key,
      `volumes.${volName}`,
      `a PersistentVolumeClaim of 100Mi (compose gives no size; kompose uses the same default — set the size you need)${ext ? '; the volume was external: move its data' : ''}`,
    );
    if (isRecord(def)) {
      for (const k of Object.keys(def))
        if (!report.covers(['volumes', source, k]))
          report.dropped(
            '',
            ['volumes', source, k],
            k === 'driver' || k === 'driver_opts'
              ? 'the storage class decides the driver (volumes[].storageClass)'
              : 'not modelled',
          );
    }
  });
  if (vols.length > 0) m.volumes = vols;
}

function mapLabels(ctx: ServiceContext, m: Manifest, at: (...p: (string | number)[]) => KeyPath): void {
  const { report, name } = ctx;
  const routes: Route[] = [];
  const addRoutes = (parsed: ParsedRoute[], pub: boolean, allow: readonly string[] = []): void => {
    for (const r of parsed) {
      const route: Route = {};
      if (r.path !== undefined && r.path !== '/') route.path = r.path;
      if (r.host !== undefined) route.host = r.host;
      if (pub) route.public = true;
      if (allow.length > 0) route.allow = [...allow];
      if (!routes.some((x) => JSON.stringify(x) === JSON.stringify(route))) routes.push(route);
    }
  };
  const groups: [Record<string, unknown>, (string | number)[]][] = [];
  if (isRecord(ctx.svc.labels)) groups.push([ctx.svc.labels, ['labels']]);
  const deploy = ctx.svc.deploy;
  if (isRecord(deploy) && isRecord(deploy.labels)) groups.push([deploy.labels, ['deploy', 'labels']]);
  const cron: Partial<Cron> = {};
  const cronKeys: KeyPath[] = [];
  // Traefik source allow-lists: middleware → CIDRs, router → its middlewares
  const allowLists = new Map<string, string[]>();
  const routerMiddlewares = new Map<string, string[]>();
  for (const [labels] of groups)
    for (const [k, raw] of Object.entries(labels)) {
      const mw = /^traefik\.http\.middlewares\.([^.]+)\.(?:ipwhitelist|ipallowlist)\.sourcerange$/i.exec(k);
      if (mw)
        allowLists.set(
          mw[1]!,
          String(raw ?? '')
            .split(',')
            .map((x) => x.trim())
            .filter((x) => x !== ''),
        );
      const rm = /^traefik\.http\.routers\.([^.]+)\.middlewares$/.exec(k);
      if (rm)
        routerMiddlewares.set(
          rm[1]!,
          String(raw ?? '')
            .split(',')
            .map((x) => x.trim().replace(/@.*$/, ''))
            .filter((x) => x !== ''),
        );
    }
  const allowOf = (router: string): string[] => [
    ...new Set((routerMiddlewares.get(router) ?? []).flatMap((mw) => allowLists.get(mw) ?? [])),
  ];
  for (const [labels, base] of groups) {
    for (const [k, raw] of Object.entries(labels)) {
      const v = raw === null || raw === undefined ? '' : String(raw);
      const key = at(...base, k);
      const router = /^traefik\.http\.routers\.([^.]+)\.(rule|middlewares)$/.exec(k);
      if (router?.[2] === 'rule') {
        const parsed = parseTraefikV2Rule(v);
        if (parsed) {
          addRoutes(parsed, true, allowOf(router[1]!));
          report.mapped(name, key, 'routes', 'Traefik router rule → public route');
        } else
          report.dropped(
            name,
            key,
            `Traefik rule "${v}" uses matchers ferry routes cannot express (host and path prefix only)`,
          );
      } else if (k === 'traefik.frontend.rule') {
        const parsed = parseTraefikV1Rule(v);
        if (parsed) {
          addRoutes(parsed, true);
          report.mapped(name, key, 'routes', 'Traefik v1 frontend rule → public route');
        } else report.dropped(name, key, `Traefik rule "${v}" uses matchers ferry routes cannot express`);
      } else if (
        k === 'traefik.enable' ||
        k === 'traefik.docker.network' ||
        k === 'traefik.port' ||
        /^traefik\.http\.services\.[^.]+\.loadbalancer\.server\.port$/.test(k)
      ) {
        report.mapped(name, key, 'routes', 'implied by the route and the service port');
      } else if (
        /^traefik\.http\.middlewares\.[^.]+\.(?:ipwhitelist|ipallowlist)\.sourcerange$/i.test(k) ||
        (router?.[2] === 'middlewares' &&
          (routerMiddlewares.get(router[1]!) ?? []).every((mw) => allowLists.has(mw)))
      ) {
        report.mapped(name, key, 'routes[].allow', 'Traefik source allow-list');
      } else if (/^traefik\.http\.routers\.[^.]+\.(tls|tls\.certresolver|entrypoints)$/.test(k)) {
        report.approximated(
          name,
          key,
          'environments.<env>.tls',
          'TLS comes from the environment: one wildcard certificate by default',
        );
      } else if (k.startsWith('traefik.')) {
        report.dropped(
          name,
          key,
          'Traefik middleware/option: the ingress controller’s own settings are not modelled; check headers such as X-Forwarded-For with ferry parity',
        );
      } else if (k === 'kompose.service.expose') {
        addRoutes(parseKomposeExpose(v), false);
        report.mapped(
          name,
          key,
          'routes',
          'kompose expose → routes (internal ingress class unless public: true)',
        );
      } else if (k === 'kompose.service.expose.tls-secret') {
        report.approximated(
          name,
          key,
          'environments.<env>.tls.wildcard',
          'TLS is per environment in ferry.platform.yaml',
        );
      } else if (k === 'kompose.service.expose.ingress-class-name') {
        report.approximated(
          name,
          key,
          'policy.ingressClass',
          'the ingress class is per platform/environment',
        );
      } else if (k === 'swarm.cronjob.schedule') {
        cron.schedule = v;
        cronKeys.push(key);
        report.mapped(name, key, `crons.${name}.schedule`, 'swarm-cronjob schedule');
      } else if (k === 'swarm.cronjob.skip-running') {
        cron.concurrency = v === 'true' ? 'forbid' : 'allow';
        report.mapped(name, key, `crons.${name}.concurrency`);
      } else if (k === 'swarm.cronjob.timezone') {
        cron.timezone = v;
        report.mapped(name, key, `crons.${name}.timezone`);
      } else if (k === 'swarm.cronjob.enable' || k === 'ferry.cron.service' || k === 'ferry.cron.name') {
        report.mapped(
          name,
          key,
          'crons',
          k === 'swarm.cronjob.enable'
            ? 'swarm-cronjob service → cron'
            : 'the cron belongs to this ferry service',
        );
      } else if (
        k === 'swarm.cronjob.replicas' ||
        k === 'swarm.cronjob.registry-auth' ||
        k === 'swarm.cronjob.query-registry'
      ) {
        report.dropped(
          name,
          key,
          'a CronJob runs one pod per run; image pulls use the cluster’s credentials',
        );
      } else if (k === 'kompose.cronjob.schedule') {
        cron.schedule = v;
        cronKeys.push(key);
        report.mapped(name, key, `crons.${name}.schedule`);
      } else if (k === 'kompose.cronjob.concurrency_policy') {
        const c = v.toLowerCase();
        if (c === 'forbid' || c === 'allow' || c === 'replace') {
          cron.concurrency = c;
          report.mapped(name, key, `crons.${name}.concurrency`);
        } else report.dropped(name, key, `unknown concurrency policy "${v}"`);
      } else if (k === 'kompose.cronjob.backoff_limit') {
        report.approximated(
          name,
          key,
          `crons.${name}`,
          'ferry sets the Job back-off itself (no retries per run)',
        );
      } else if (k === 'kompose.service.type') {
        report.approximated(
          name,
          key,
          'ports',
          `ferry gives every service with ports a ClusterIP Service; "${v}" exposure is done with routes`,
        );
      } else if (k === 'kompose.service.group') {
        report.dropped(name, key, 'ferry runs one container per service (no grouping into one pod)');
      } else if (k.startsWith('kompose.service.healthcheck.')) {
        mapKomposeProbeLabel(ctx, m, k, v, key);
      } else if (k === 'com.docker.lb.hosts' || k === 'interlock.hostname') {
        addRoutes(
          v.split(',').map((h) => ({ host: h.trim(), path: undefined })),
          true,
        );
        report.mapped(name, key, 'routes');
      } else {
        report.dropped(name, key, 'label: ferry sets its own labels; this one is not carried over');
      }
    }
  }
  if (cron.schedule !== undefined) {
    const args = m.args;
    const command = m.command;
    const cmd: string[] | undefined =
      command !== undefined ? [...(Array.isArray(command) ? command : [command]), ...(args ?? [])] : args;
    if (cmd === undefined || cmd.length === 0) {
      for (const k of cronKeys) report.dropped(name, k, 'a cron needs a command: none given');
    } else {
      const c: Cron = { name, schedule: cron.schedule, command: cmd };
      if (cron.concurrency !== undefined) c.concurrency = cron.concurrency;
      else {
        // Both swarm-cronjob (skip-running: false) and a Kubernetes CronJob (Allow) let runs
        // overlap by default; keep that behaviour visible instead of silently switching to forbid.
        c.concurrency = 'allow';
        report.approximated(
          name,
          cronKeys[0] ?? [],
          `crons.${name}.concurrency`,
          'no concurrency given: the old default let runs overlap (allow); write forbid if they must not',
        );
      }
      if (cron.timezone !== undefined) c.timezone = cron.timezone;
      if (m.resources !== undefined) {
        c.resources = m.resources;
        delete m.resources;
      }
      m.crons = [c];
      m.instances = 0;
      delete m.args;
      delete m.command;
    }
  }
  if (routes.length > 0) m.routes = routes;
}

function mapKomposeProbeLabel(ctx: ServiceContext, m: Manifest, k: string, v: string, key: KeyPath): void {
  const { report, name } = ctx;
  const [, , , kind, field] = k.split('.');
  const current: Health = typeof m.health === 'object' ? m.health : {};
  if (kind === 'readiness') {
    report.approximated(name, key, 'health', 'ferry derives readiness and liveness from one health check');
    return;
  }
  if (kind !== 'liveness') return report.dropped(name, key, 'unknown probe label');
  switch (field) {
    case 'http_get_path':
      current.path = v.startsWith('/') ? v : `/${v}`;
      delete current.command;
      delete current.tcp;
      break;
    case 'http_get_port':
    case 'tcp_port': {
      const n = Number(v);
      if (field === 'tcp_port') {
        current.tcp = true;
        delete current.command;
      }
      if (Number.isInteger(n) && n > 0 && n < 65536) {
        current.port = n;
        const ports = m.ports ?? (m.port !== undefined ? [{ port: m.port }] : []);
        if (!ports.some((p) => p.port === n)) {
          report.approximated(
            name,
            key,
            'ports',
            `port ${n} is added to the service's ports: ferry probes declared ports only`,
          );
          m.health = current;
          addProbePort(m, current);
          return;
        }
      }
      break;
    }
    case 'test':
      current.command = v;
      break;
    case 'interval':
    case 'timeout': {
      const d = seconds(v);
      if (d !== undefined) current[field === 'interval' ? 'period' : 'timeout'] = d;
      break;
    }
    case 'retries': {
      const n = Number(v);
      if (Number.isInteger(n) && n >= 1) current.failureThreshold = n;
      break;
    }
    default:
      return report.dropped(name, key, 'unknown probe label');
  }
  m.health = current;
  report.mapped(name, key, 'health');
}
