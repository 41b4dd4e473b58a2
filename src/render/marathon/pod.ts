// Pod settings, placement beyond node labels, and daemons on Marathon: what an app can say is
// rendered (taskKillGracePeriodSeconds, Docker parameters for user, read-only and capabilities,
// labels, LIKE/UNLIKE/GROUP_BY constraints); what it cannot is a warning naming the app and the
// field — never dropped silently.
import type { NodeRequirement, Workload } from '../../model/types.ts';

type Obj = Record<string, unknown>;

/** A node label as a Marathon constraint field (Mesos agent attributes; hostname is built in). */
function field(key: string): string {
  return key === 'kubernetes.io/hostname' ? 'hostname' : key;
}

const alternatives = (values: readonly string[]): string =>
  values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');

function constraintOf(r: NodeRequirement): string[] | undefined {
  if (r.operator === 'In' && r.values.length === 1) return [field(r.key), 'CLUSTER', r.values[0]!];
  if (r.operator === 'In') return [field(r.key), 'LIKE', alternatives(r.values)];
  if (r.operator === 'NotIn') return [field(r.key), 'UNLIKE', alternatives(r.values)];
  if (r.operator === 'Exists') return [field(r.key), 'LIKE', '.*'];
  return undefined;
}

/** Constraints from node affinity, spread and daemon mode. */
export function marathonConstraints(w: Workload): string[][] {
  const out = w.placement.required.flatMap((r) => {
    const c = constraintOf(r);
    return c ? [c] : [];
  });
  for (const s of w.placement.spread) out.push([field(s.topologyKey), 'GROUP_BY']);
  if (w.daemon && !out.some((c) => c[0] === 'hostname' && c[1] === 'UNIQUE'))
    out.push(['hostname', 'UNIQUE']);
  return out;
}

/** Docker parameters (`docker run` flags) for the security context. */
export function dockerParameters(w: Workload): { key: string; value: string }[] {
  const s = w.pod.security;
  const out: { key: string; value: string }[] = [];
  if (s.runAsUser !== undefined)
    out.push({
      key: 'user',
      value: s.runAsGroup !== undefined ? `${s.runAsUser}:${s.runAsGroup}` : String(s.runAsUser),
    });
  if (s.readOnlyRootFilesystem) out.push({ key: 'read-only', value: 'true' });
  for (const c of s.add) out.push({ key: 'cap-add', value: c });
  for (const c of s.drop) out.push({ key: 'cap-drop', value: c });
  if (s.allowPrivilegeEscalation === false) out.push({ key: 'security-opt', value: 'no-new-privileges' });
  return out;
}

/** App fields from the pod settings: the kill grace period and labels. */
export function marathonPodFields(w: Workload): { app: Obj; labels: Record<string, string> } {
  const app: Obj = {};
  if (w.pod.terminationGracePeriodSeconds !== undefined)
    app.taskKillGracePeriodSeconds = w.pod.terminationGracePeriodSeconds;
  return { app, labels: { ...w.workloadMeta.labels, ...w.pod.labels } };
}

/** What the app leaves out, one line each. */
export function marathonPodWarnings(w: Workload): string[] {
  const out: string[] = [];
  const p = w.pod;
  const at = `${w.service}:`;
  if (w.patches.length > 0)
    out.push(
      `${at} ${w.patches.length} patch${w.patches.length === 1 ? '' : 'es'} not applied to the app: patches change the rendered Kubernetes objects only`,
    );
  if (w.daemon)
    out.push(
      `${at} Marathon has no daemon mode: one instance per agent at most (hostname UNIQUE) — set instances to the number of agents`,
    );
  if (p.imagePullSecrets.length > 0)
    out.push(
      `${at} pod.imagePullSecrets (${p.imagePullSecrets.join(', ')}) not rendered: give the agents the registry login (a docker.tar.gz in the app's fetch)`,
    );
  if (p.serviceAccount !== undefined)
    out.push(`${at} pod.serviceAccount ${p.serviceAccount} not rendered: Marathon has no service accounts`);
  if (p.preStop) out.push(`${at} pod.preStop not rendered: Marathon has no pre-stop hook`);
  const annotations = [...Object.keys(p.annotations), ...Object.keys(w.workloadMeta.annotations)];
  if (annotations.length > 0)
    out.push(`${at} annotations (${annotations.join(', ')}) not rendered: Marathon has labels only`);
  if (p.security.runAsUser === undefined && p.security.runAsGroup !== undefined)
    out.push(
      `${at} pod.securityContext.runAsGroup without runAsUser not rendered: docker's --user is uid[:gid]`,
    );
  if (p.security.runAsNonRoot !== undefined)
    out.push(
      `${at} pod.securityContext.runAsNonRoot not rendered: Docker cannot refuse a root user (set runAsUser)`,
    );
  if (p.fsGroup !== undefined)
    out.push(`${at} pod.securityContext.fsGroup not rendered: Marathon has no volume group`);
  if (w.health?.action.kind === 'http' && w.health.action.headers.length > 0)
    out.push(
      `${at} health.headers (${w.health.action.headers.map((h) => h.name).join(', ')}) not sent: Marathon's MESOS_HTTP health checks have no headers`,
    );
  for (const x of [...p.initContainers, ...p.sidecars])
    out.push(
      `${at} ${p.initContainers.includes(x) ? 'init container' : 'sidecar'} ${x.name} not rendered: a Marathon app runs one container (run it as an app of its own)`,
    );
  for (const r of w.placement.required)
    if (!constraintOf(r))
      out.push(
        `${at} placement.nodeAffinity.required ${r.key} ${r.operator} not rendered: Marathon constraints have no ${r.operator}`,
      );
  if (w.placement.preferred.length > 0)
    out.push(`${at} placement.nodeAffinity.preferred not rendered: Marathon constraints are hard rules`);
  if (w.placement.spread.some((s) => s.maxSkew > 1 || s.whenUnsatisfiable === 'DoNotSchedule'))
    out.push(
      `${at} placement.spread becomes GROUP_BY (even spread): no maxSkew or whenUnsatisfiable on Marathon`,
    );
  if (w.placement.priorityClass !== undefined)
    out.push(
      `${at} placement.priorityClass ${w.placement.priorityClass} not rendered: Marathon has no priorities`,
    );
  return out;
}
