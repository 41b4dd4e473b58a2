// The pod template shared by the Deployment, CronJobs and Jobs of one workload.
import type { V1Container, V1PodTemplateSpec } from '@kubernetes/client-node';
import type { Command, Resources, Workload } from '../../model/types.ts';
import { containerCommand } from './command.ts';
import { containerEnv } from './env.ts';
import { type Component, objectLabels } from './labels.ts';
import { labelName } from './names.ts';
import { podPlacement } from './placement.ts';
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
  /** the long-running service: ports, probes and volumes */
  serve: boolean;
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
  }
  const files = fileMounts(w);
  if (files.mounts.length > 0) container.volumeMounts = [...(container.volumeMounts ?? []), ...files.mounts];
  const spec: V1PodTemplateSpec['spec'] = {
    containers: [container],
    enableServiceLinks: false,
    restartPolicy: o.restartPolicy,
    ...podPlacement(w.placement, w.policy),
  };
  // a StatefulSet's claims come from its volumeClaimTemplates, named like the volumes
  if (o.serve && w.volumes.length > 0 && !w.stateful) {
    spec.volumes = w.volumes.map((v) => ({
      name: v.name,
      persistentVolumeClaim: { claimName: claimName(w.service, v.name) },
    }));
  }
  if (files.volumes.length > 0) spec.volumes = [...(spec.volumes ?? []), ...files.volumes];
  return { metadata: { labels: objectLabels(w, o.component) }, spec };
}
