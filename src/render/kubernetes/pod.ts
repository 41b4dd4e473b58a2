// The pod template shared by the Deployment, CronJobs and Jobs of one workload.
import type { V1Container, V1PodTemplateSpec } from '@kubernetes/client-node';
import type { Command, Resources, Workload } from '../../model/types.ts';
import { argv, containerCommand } from './command.ts';
import { containerEnv } from './env.ts';
import { containerSecurity, initContainers, podSecurity } from './extra-containers.ts';
import { type Component, objectLabels, selectorLabels } from './labels.ts';
import { labelName } from './names.ts';
import { podAffinity, podPlacement, spreadConstraints } from './placement.ts';
import { probes } from './probes.ts';
import { resourceRequirements } from './resources.ts';
import { claimName } from './pvc.ts';
import { fileMounts } from './files.ts';

export interface PodOptions {
  component: Component;
  command: Command | undefined;
  args: readonly string[] | undefined;
  resources: Resources;
  restartPolicy: 'Always' | 'Never';
  /** the long-running service: ports, probes, volumes, preStop, spread, init containers and sidecars */
  serve: boolean;
}

/** Pod-level settings of `pod:` and `placement:` beyond node selectors and tolerations. */
function podSettings(w: Workload, o: PodOptions, spec: NonNullable<V1PodTemplateSpec['spec']>): void {
  const p = w.pod;
  if (p.serviceAccount !== undefined) spec.serviceAccountName = p.serviceAccount;
  if (p.imagePullSecrets.length > 0) spec.imagePullSecrets = p.imagePullSecrets.map((name) => ({ name }));
  if (p.terminationGracePeriodSeconds !== undefined)
    spec.terminationGracePeriodSeconds = p.terminationGracePeriodSeconds;
  const security = podSecurity(w);
  if (security) spec.securityContext = security;
  if (w.placement.priorityClass !== undefined) spec.priorityClassName = w.placement.priorityClass;
  const affinity = podAffinity(w.placement);
  if (affinity) spec.affinity = affinity;
  if (o.serve && w.placement.spread.length > 0)
    spec.topologySpreadConstraints = spreadConstraints(w.placement.spread, selectorLabels(w, o.component));
  const init = initContainers(w, o.serve);
  if (init.length > 0) spec.initContainers = init;
}

export function podTemplate(w: Workload, o: PodOptions): V1PodTemplateSpec {
  const container: V1Container = {
    name: labelName(w.service),
    image: w.image,
    ...containerCommand(o.command, o.args),
    resources: resourceRequirements(o.resources, w.policy),
  };
  const env = containerEnv(w);
  if (env.length > 0) container.env = env;
  if (o.serve) {
    if (w.ports.length > 0) {
      container.ports = w.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol }));
    }
    if (w.health) Object.assign(container, probes(w.health));
    if (w.volumes.length > 0) {
      container.volumeMounts = w.volumes.map((v) => ({ name: v.name, mountPath: v.path }));
    }
    if (w.pod.preStop) container.lifecycle = { preStop: { exec: { command: argv(w.pod.preStop) } } };
  }
  const security = containerSecurity(w.pod.security, false);
  if (security) container.securityContext = security;
  const files = fileMounts(w);
  if (files.mounts.length > 0) container.volumeMounts = [...(container.volumeMounts ?? []), ...files.mounts];
  const spec: V1PodTemplateSpec['spec'] = {
    containers: [container],
    enableServiceLinks: false,
    restartPolicy: o.restartPolicy,
    ...podPlacement(w.placement, w.policy),
  };
  podSettings(w, o, spec);
  // a StatefulSet's claims come from its volumeClaimTemplates, named like the volumes
  if (o.serve && w.volumes.length > 0 && !w.stateful) {
    spec.volumes = w.volumes.map((v) => ({
      name: v.name,
      persistentVolumeClaim: { claimName: claimName(w.service, v.name) },
    }));
  }
  if (files.volumes.length > 0) spec.volumes = [...(spec.volumes ?? []), ...files.volumes];
  const metadata: NonNullable<V1PodTemplateSpec['metadata']> = {
    labels: { ...w.pod.labels, ...objectLabels(w, o.component) },
  };
  if (Object.keys(w.pod.annotations).length > 0) metadata.annotations = { ...w.pod.annotations };
  return { metadata, spec };
}
