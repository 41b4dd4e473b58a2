// The Service in front of the Deployment's pods (ClusterIP, one port per declared port).
import type { Workload } from '../../model/types.ts';
import { selectorLabels, staticLabels } from './labels.ts';
import { labelName } from './names.ts';
import type { Service } from './object.ts';

export function serviceName(w: Workload): string {
  return labelName(w.service);
}

/** The headless Service that governs a StatefulSet's pod names (<pod>.<service>-headless). */
export function headlessServiceName(w: Workload): string {
  return labelName(`${w.service}-headless`);
}

/**
 * A stateful service's governing Service: headless (each pod has its own DNS name), and its pods
 * are listed before they are ready so peers can find each other while they start (a database
 * replica joining its primary). Clients keep using the ClusterIP Service <service>.
 */
export function renderHeadlessService(w: Workload): Service | undefined {
  if (!w.stateful) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: headlessServiceName(w),
      namespace: w.environment.namespace,
      labels: staticLabels(w, 'web'),
    },
    spec: {
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector: selectorLabels(w, 'web'),
      ports: w.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.name, protocol: p.protocol })),
    },
  };
}

export function renderService(w: Workload): Service | undefined {
  if (w.ports.length === 0) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: serviceName(w),
      namespace: w.environment.namespace,
      labels: staticLabels(w, 'web'),
    },
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(w, 'web'),
      ports: w.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.name, protocol: p.protocol })),
    },
  };
}
