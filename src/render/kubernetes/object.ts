// The shapes the Kubernetes renderer produces. Upstream types from @kubernetes/client-node are
// imported as TYPES only (erased at build time), so the render path never loads the client.
import type {
  V1CronJob,
  V1DaemonSet,
  V1Deployment,
  V2HorizontalPodAutoscaler,
  V1Ingress,
  V1Job,
  V1Namespace,
  V1PersistentVolumeClaim,
  V1PodDisruptionBudget,
  V1Service,
  V1StatefulSet,
} from '@kubernetes/client-node';

/** Metadata every rendered object carries: always a name and labels. */
export interface KubeMeta {
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Any rendered Kubernetes object. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: KubeMeta;
}

type Kube<T, A extends string, K extends string> = Omit<T, 'apiVersion' | 'kind' | 'metadata' | 'status'> & {
  apiVersion: A;
  kind: K;
  metadata: KubeMeta;
};

export type Namespace = Kube<V1Namespace, 'v1', 'Namespace'>;
export type Service = Kube<V1Service, 'v1', 'Service'>;
export type PersistentVolumeClaim = Kube<V1PersistentVolumeClaim, 'v1', 'PersistentVolumeClaim'>;
export type Deployment = Kube<V1Deployment, 'apps/v1', 'Deployment'>;
export type DaemonSet = Kube<V1DaemonSet, 'apps/v1', 'DaemonSet'>;
export type StatefulSet = Kube<V1StatefulSet, 'apps/v1', 'StatefulSet'>;
export type CronJob = Kube<V1CronJob, 'batch/v1', 'CronJob'>;
export type Job = Kube<V1Job, 'batch/v1', 'Job'>;
export type PodDisruptionBudget = Kube<V1PodDisruptionBudget, 'policy/v1', 'PodDisruptionBudget'>;
export type HorizontalPodAutoscaler = Kube<
  V2HorizontalPodAutoscaler,
  'autoscaling/v2',
  'HorizontalPodAutoscaler'
>;
export type Ingress = Kube<V1Ingress, 'networking.k8s.io/v1', 'Ingress'>;

/** monitoring.coreos.com/v1 PrometheusRule (prometheus-operator), the fields ferry writes. */
export interface PrometheusRule extends KubeObject {
  apiVersion: 'monitoring.coreos.com/v1';
  kind: 'PrometheusRule';
  spec: {
    groups: {
      name: string;
      rules: {
        alert: string;
        expr: string;
        for: string;
        labels: Record<string, string>;
        annotations: Record<string, string>;
      }[];
    }[];
  };
}

/** external-secrets.io/v1 ExternalSecret (External Secrets Operator ≥ 0.16), the fields ferry writes. */
export interface ExternalSecret extends KubeObject {
  apiVersion: 'external-secrets.io/v1';
  kind: 'ExternalSecret';
  spec: {
    refreshInterval: string;
    secretStoreRef: { kind: 'ClusterSecretStore' | 'SecretStore'; name: string };
    target: { name: string; creationPolicy: 'Owner' };
    data: { secretKey: string; remoteRef: { key: string; property: string } }[];
  };
}

/** What one workload renders to. */
export interface RenderedWorkload {
  /** the apply set, in kind order (see order.ts) */
  objects: KubeObject[];
  /** the migration Jobs, run by the engine before the rollout (up) and on revert (down) */
  migration: { up: Job; down: Job | undefined } | undefined;
  /** one Job per command check, run by the engine after the rollout */
  checks: Job[];
}
