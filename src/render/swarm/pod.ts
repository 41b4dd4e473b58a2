// Pod settings, placement beyond node labels, and daemons on a Swarm stack: what compose can say
// is rendered (stop_grace_period, user, read_only, cap_add/cap_drop, container and service labels,
// constraints, spread preferences, mode: global); what it cannot is a warning naming the service
// and the field — never dropped silently.
import type { NodeRequirement, Workload } from '../../model/types.ts';

type Obj = Record<string, unknown>;

/** A node label as Swarm names it in constraints and preferences. */
function nodeAttr(key: string): string {
  return key === 'kubernetes.io/hostname' ? 'node.hostname' : `node.labels.${key}`;
}

/** A required node expression as Swarm constraints, or undefined when Swarm cannot say it. */
function constraintsOf(r: NodeRequirement): string[] | undefined {
  if (r.operator === 'In' && r.values.length === 1) return [`${nodeAttr(r.key)} == ${r.values[0]}`];
  if (r.operator === 'NotIn') return r.values.map((v) => `${nodeAttr(r.key)} != ${v}`);
  return undefined;
}

/** Fields of the service (top level) and of its `deploy:` that the pod settings give. */
export function swarmPodFields(w: Workload): { service: Obj; deploy: Obj; constraints: string[] } {
  const service: Obj = {};
  const deploy: Obj = {};
  const p = w.pod;
  if (p.terminationGracePeriodSeconds !== undefined)
    service.stop_grace_period = `${p.terminationGracePeriodSeconds}s`;
  const s = p.security;
  if (s.runAsUser !== undefined)
    service.user = s.runAsGroup !== undefined ? `${s.runAsUser}:${s.runAsGroup}` : String(s.runAsUser);
  if (s.readOnlyRootFilesystem !== undefined) service.read_only = s.readOnlyRootFilesystem;
  if (s.add.length > 0) service.cap_add = [...s.add];
  if (s.drop.length > 0) service.cap_drop = [...s.drop];
  if (Object.keys(p.labels).length > 0) service.labels = { ...p.labels };
  const constraints = w.placement.required.flatMap((r) => constraintsOf(r) ?? []);
  const preferences = w.placement.spread
    .filter((x) => x.topologyKey !== 'kubernetes.io/hostname') // Swarm spreads over nodes already
    .map((x) => ({ spread: nodeAttr(x.topologyKey) }));
  if (preferences.length > 0) deploy.preferences = preferences;
  return { service, deploy, constraints };
}

/** The service's own labels for `deploy.labels` (the workload's labels). */
export function swarmWorkloadLabels(w: Workload): Obj {
  return { ...w.workloadMeta.labels };
}

/** What the stack leaves out of the pod settings, one line each. */
export function swarmPodWarnings(w: Workload): string[] {
  const out: string[] = [];
  const p = w.pod;
  const at = `${w.service}:`;
  if (w.patches.length > 0)
    out.push(
      `${at} ${w.patches.length} patch${w.patches.length === 1 ? '' : 'es'} not applied to the stack: patches change the rendered Kubernetes objects only`,
    );
  if (p.imagePullSecrets.length > 0)
    out.push(
      `${at} pod.imagePullSecrets (${p.imagePullSecrets.join(', ')}) not rendered: Swarm pulls with the deployer's login (docker stack deploy --with-registry-auth)`,
    );
  if (p.serviceAccount !== undefined)
    out.push(`${at} pod.serviceAccount ${p.serviceAccount} not rendered: Swarm has no service accounts`);
  if (p.preStop)
    out.push(
      `${at} pod.preStop not rendered: Swarm has no pre-stop hook (the container gets SIGTERM at once)`,
    );
  if (Object.keys(p.annotations).length > 0)
    out.push(
      `${at} pod.annotations (${Object.keys(p.annotations).join(', ')}) not rendered: Swarm has no annotations`,
    );
  if (Object.keys(w.workloadMeta.annotations).length > 0)
    out.push(
      `${at} workload.annotations (${Object.keys(w.workloadMeta.annotations).join(', ')}) not rendered: Swarm has no annotations`,
    );
  if (p.security.runAsUser === undefined && p.security.runAsGroup !== undefined)
    out.push(
      `${at} pod.securityContext.runAsGroup without runAsUser not rendered: compose's user is uid[:gid]`,
    );
  if (p.security.runAsNonRoot !== undefined)
    out.push(
      `${at} pod.securityContext.runAsNonRoot not rendered: Swarm cannot refuse a root user (set runAsUser)`,
    );
  if (p.fsGroup !== undefined)
    out.push(`${at} pod.securityContext.fsGroup not rendered: Swarm has no volume group`);
  if (p.security.allowPrivilegeEscalation !== undefined)
    out.push(
      `${at} pod.securityContext.allowPrivilegeEscalation not rendered: docker stack deploy ignores security_opt (no-new-privileges)`,
    );
  for (const x of [...p.initContainers, ...p.sidecars])
    out.push(
      `${at} ${p.initContainers.includes(x) ? 'init container' : 'sidecar'} ${x.name} not rendered: a Swarm service runs one container (run it as a service of its own)`,
    );
  for (const r of w.placement.required)
    if (!constraintsOf(r))
      out.push(
        `${at} placement.nodeAffinity.required ${r.key} ${r.operator} ${r.values.join(',')} not rendered: Swarm constraints say ==/!= one value`,
      );
  if (w.placement.preferred.length > 0)
    out.push(`${at} placement.nodeAffinity.preferred not rendered: Swarm has no weighted node preferences`);
  for (const x of w.placement.spread)
    if (x.whenUnsatisfiable === 'DoNotSchedule' || x.maxSkew > 1)
      out.push(
        `${at} placement.spread ${x.topologyKey} is a preference on Swarm (no maxSkew ${x.maxSkew}, no ${x.whenUnsatisfiable})`,
      );
  if (w.placement.priorityClass !== undefined)
    out.push(
      `${at} placement.priorityClass ${w.placement.priorityClass} not rendered: Swarm has no priorities`,
    );
  return out;
}
