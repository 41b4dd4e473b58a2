// Small workload builders for the cluster integration tests. Images are real, small public ones so
// the same tests also mean something on a real cluster (FERRY_TEST_KUBECONFIG); on the local
// cluster no container runs: kwok plays the kubelet.
import type { V1CronJob, V1Deployment, V1Job, V1PodTemplateSpec } from '@kubernetes/client-node';

/** Values of the pod label `ferry.dev/fault` understood by scripts/cluster/stages/fault-*.yaml. */
export type Fault = 'never-ready' | 'image-pull' | 'fail' | 'slow-ready';

export interface PodOptions {
  fault?: Fault;
  annotations?: Record<string, string>;
}

function podTemplate(app: string, restartPolicy: 'Always' | 'Never', opts: PodOptions): V1PodTemplateSpec {
  const labels: Record<string, string> = { app };
  if (opts.fault) labels['ferry.dev/fault'] = opts.fault;
  const container =
    restartPolicy === 'Always'
      ? { name: 'app', image: 'registry.k8s.io/pause:3.10' }
      : {
          name: 'task',
          image: 'busybox:1.36',
          command: ['sh', '-c', opts.fault === 'fail' ? 'exit 1' : 'exit 0'],
        };
  return {
    metadata: { labels, annotations: opts.annotations ?? {} },
    spec: { restartPolicy, terminationGracePeriodSeconds: 0, containers: [container] },
  };
}

export function deployment(
  name: string,
  replicas: number,
  opts: PodOptions & { progressDeadlineSeconds?: number } = {},
): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      progressDeadlineSeconds: opts.progressDeadlineSeconds ?? 600,
      selector: { matchLabels: { app: name } },
      template: podTemplate(name, 'Always', opts),
    },
  };
}

export function job(
  name: string,
  opts: PodOptions & { completions?: number; backoffLimit?: number } = {},
): V1Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: {
      completions: opts.completions ?? 1,
      parallelism: opts.completions ?? 1,
      backoffLimit: opts.backoffLimit ?? 0,
      template: podTemplate(name, 'Never', opts),
    },
  };
}

export function cronJob(name: string, schedule: string): V1CronJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name },
    spec: {
      schedule,
      concurrencyPolicy: 'Forbid',
      jobTemplate: { spec: { backoffLimit: 0, template: podTemplate(name, 'Never', {}) } },
    },
  };
}

/** The status of condition `type` in a list of conditions, if present. */
export function condition<C extends { type: string; status: string; reason?: string }>(
  conditions: C[] | undefined,
  type: string,
): C | undefined {
  return conditions?.find((c) => c.type === type);
}
