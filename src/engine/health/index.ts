// One checker per kind; kinds without a check (Service, ConfigMap, CronJob…) are healthy once
// they exist (gitops-engine's rule).
import type { KObject } from '../../cluster/types.ts';
import { daemonSetHealth } from './daemonset.ts';
import { deploymentHealth } from './deployment.ts';
import { jobHealth } from './job.ts';
import { podHealth } from './pod.ts';
import { healthy, type Health } from './types.ts';

export function objectHealth(obj: KObject): Health {
  switch (obj.kind) {
    case 'Deployment':
      return deploymentHealth(obj);
    case 'DaemonSet':
      return daemonSetHealth(obj);
    case 'Job':
      return jobHealth(obj);
    case 'Pod':
      return podHealth(obj);
    default:
      return healthy();
  }
}

export { daemonCounts, daemonSetHealth } from './daemonset.ts';
export { deploymentHealth, replicaCounts } from './deployment.ts';
export { jobHealth } from './job.ts';
export { podHealth, podReady, podRestarts } from './pod.ts';
export * from './types.ts';
