// Fields ferry deliberately does not carry over, each with its reason. A field some mapper has
// reported is skipped, so a new mapper for one of these (user, cap_add …) needs no edit here.
import { isRecord } from '../../source.ts';
import type { FieldMapper } from '../context.ts';

export const DROP_REASONS: Readonly<Record<string, string>> = {
  depends_on:
    'Kubernetes starts services independently; make the service retry its dependencies (readiness gates traffic)',
  networks: 'every service in a namespace reaches the others by name; no networks to declare',
  links: 'every service in a namespace reaches the others by name (links are not needed)',
  external_links: 'every service in a namespace reaches the others by name',
  container_name: 'Kubernetes names pods itself',
  hostname: 'Kubernetes names pods itself',
  domainname: 'Kubernetes names pods itself',
  logging: 'containers log to stdout; the cluster collects logs',
  cap_add: 'not a list of capability names (NET_ADMIN, CAP_SYS_TIME …)',
  cap_drop: 'not a list of capability names (ALL, NET_RAW …)',
  privileged: 'ferry does not run privileged containers',
  security_opt:
    'only no-new-privileges is expressible (pod.securityContext.allowPrivilegeEscalation); seccomp/apparmor/label options are not modelled',
  read_only: 'read_only: false is the default',
  user: 'ferry runs the image’s user (set USER in the Dockerfile)',
  stop_grace_period: 'not a duration (e.g. 1m30s)',
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

function dependsOn(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (isRecord(v)) return Object.keys(v);
  return [];
}

export const mapDropped: FieldMapper = (ctx) => {
  const { svc, report, name, at } = ctx;
  for (const [k, why] of Object.entries(DROP_REASONS)) {
    if (svc[k] === undefined || report.reported(at(k))) continue;
    const detail = k === 'depends_on' ? ` (was: ${dependsOn(svc[k]).join(', ')})` : '';
    report.dropped(name, at(k), why + detail);
  }
  for (const k of Object.keys(svc))
    if (k.startsWith('x-')) report.dropped(name, at(k), 'extension field: ignored by compose too');
};
