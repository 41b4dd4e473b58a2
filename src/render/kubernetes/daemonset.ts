// A DaemonSet (apps/v1) for `daemon: true` — one pod on every node the placement allows, what
// Swarm's `mode: global` meant (log shippers such as logspout, node agents). Rolling updates
// replace one node's pod at a time (maxUnavailable 1, no surge: a node agent often binds host
// resources a second pod on the same node could not have). No replicas, PDB or HPA.
import type { Workload } from '../../model/types.ts';
import { selectorLabels, workloadMetadata } from './labels.ts';
import { labelName } from './names.ts';
import type { DaemonSet } from './object.ts';
import { podTemplate } from './pod.ts';

export function daemonSetName(w: Workload): string {
  return labelName(w.service);
}

export function renderDaemonSet(w: Workload): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: daemonSetName(w), namespace: w.environment.namespace, ...workloadMetadata(w, 'web') },
    spec: {
      selector: { matchLabels: selectorLabels(w, 'web') },
      revisionHistoryLimit: w.policy.revisionHistoryLimit,
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      template: podTemplate(w, {
        component: 'web',
        command: w.command,
        args: w.args,
        resources: w.resources,
        restartPolicy: 'Always',
        serve: true,
      }),
    },
  };
}
