// Security contexts and the pod's other containers: init containers (run to completion before the
// service starts) and sidecars (native sidecars: init containers with restartPolicy Always, so
// they start before the service and stop after it — also in Job pods, which then still finish).
import type { V1Container, V1PodSecurityContext, V1SecurityContext } from '@kubernetes/client-node';
import type { ContainerSecurity, ExtraContainer, Workload } from '../../model/types.ts';
import { containerCommand } from './command.ts';
import { containerEnv, envVar } from './env.ts';
import { resourceRequirements } from './resources.ts';

/** The container part of a security context: root filesystem, privilege escalation, capabilities. */
export function containerSecurity(
  s: ContainerSecurity,
  withIdentity: boolean,
): V1SecurityContext | undefined {
  const out: V1SecurityContext = {};
  if (withIdentity) {
    if (s.runAsUser !== undefined) out.runAsUser = s.runAsUser;
    if (s.runAsGroup !== undefined) out.runAsGroup = s.runAsGroup;
    if (s.runAsNonRoot !== undefined) out.runAsNonRoot = s.runAsNonRoot;
  }
  if (s.readOnlyRootFilesystem !== undefined) out.readOnlyRootFilesystem = s.readOnlyRootFilesystem;
  if (s.allowPrivilegeEscalation !== undefined) out.allowPrivilegeEscalation = s.allowPrivilegeEscalation;
  if (s.add.length > 0 || s.drop.length > 0) {
    out.capabilities = {};
    if (s.add.length > 0) out.capabilities.add = [...s.add];
    if (s.drop.length > 0) out.capabilities.drop = [...s.drop];
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The pod part: the identity every container runs as, and the volumes' group. */
export function podSecurity(w: Workload): V1PodSecurityContext | undefined {
  const s = w.pod.security;
  const out: V1PodSecurityContext = {};
  if (s.runAsUser !== undefined) out.runAsUser = s.runAsUser;
  if (s.runAsGroup !== undefined) out.runAsGroup = s.runAsGroup;
  if (s.runAsNonRoot !== undefined) out.runAsNonRoot = s.runAsNonRoot;
  if (w.pod.fsGroup !== undefined) out.fsGroup = w.pod.fsGroup;
  return Object.keys(out).length > 0 ? out : undefined;
}

function extraContainer(w: Workload, x: ExtraContainer, sidecar: boolean): V1Container {
  const c: V1Container = {
    name: x.name,
    image: x.image,
    ...containerCommand(x.command, x.args),
    resources: resourceRequirements(x.resources, w.policy),
  };
  if (sidecar) c.restartPolicy = 'Always';
  const own = x.env.map((e) => envVar(w.service, e));
  const names = new Set(own.map((e) => e.name));
  const env = [...(x.ownImage ? containerEnv(w).filter((e) => !names.has(e.name)) : []), ...own];
  if (env.length > 0) c.env = env;
  const security = containerSecurity(x.security, true);
  if (security) c.securityContext = security;
  return c;
}

/** Sidecars first (so init containers can use them, e.g. a database proxy), then init containers. */
export function initContainers(w: Workload, serve: boolean): V1Container[] {
  const inPod = (x: ExtraContainer): boolean => serve || x.jobs;
  return [
    ...w.pod.sidecars.filter(inPod).map((x) => extraContainer(w, x, true)),
    ...w.pod.initContainers.filter(inPod).map((x) => extraContainer(w, x, false)),
  ];
}
