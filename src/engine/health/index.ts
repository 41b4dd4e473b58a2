// One checker per kind, chosen by the table of kinds (src/kinds.ts); kinds without a check
// (Service, ConfigMap, CronJob…) are healthy once they exist (gitops-engine's rule).
import type { KObject } from '../../cluster/types.ts';
import { kindInfo, type HealthCheck } from '../../kinds.ts';
import { daemonSetHealth } from './daemonset.ts';
import { deploymentHealth } from './deployment.ts';
import { jobHealth } from './job.ts';
import { podHealth } from './pod.ts';
import { statefulSetHealth } from './statefulset.ts';
import { healthy, type Health } from './types.ts';

const checkers: Record<HealthCheck, (o: KObject) => Health> = {
  deployment: deploymentHealth,
  statefulset: statefulSetHealth,
  daemonset: daemonSetHealth,
  job: jobHealth,
  pod: podHealth,
};

export function objectHealth(obj: KObject): Health {
  const check = kindInfo(obj.kind)?.health;
  return check ? checkers[check](obj) : healthy();
}

export { daemonSetHealth } from './daemonset.ts';
export { deploymentHealth, replicaCounts } from './deployment.ts';
export { jobHealth } from './job.ts';
export { podHealth, podReady, podRestarts } from './pod.ts';
export { statefulSetHealth } from './statefulset.ts';
export * from './types.ts';
