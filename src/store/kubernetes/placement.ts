// Where the Kubernetes store keeps the records of an environment: the cluster it deploys to and
// its namespace. Given by the engine's composition root, which knows the platform file (and
// derived environments such as per-PR previews); the store itself knows no manifests.
import type { Cluster } from '../../cluster/types.ts';

export interface EnvironmentPlace {
  cluster: Cluster;
  namespace: string;
  /** whether the store may create the namespace when it does not exist yet (ferry creates it on deploy) */
  createNamespace: boolean;
}

export interface KubernetesPlacement {
  /** the place of one environment; throws (not-found) for an environment it does not know */
  locate(environment: string): EnvironmentPlace;
  /** every environment the store can read, for queries across environments */
  environments(): readonly string[];
}
