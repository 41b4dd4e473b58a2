// Where a kind lives on the API server: its plural resource name and whether it is namespaced.
// The built-in kinds ferry renders are known (their names are fixed by Kubernetes, and every
// supported version serves them), so they need no discovery; anything else is looked up once per
// group version (one GET of /api/v1 or /apis/<group>/<version>) and kept for the process's life.
import { HttpStatusError } from './http.ts';

export interface Resource {
  plural: string;
  namespaced: boolean;
}

const builtin: Record<string, Resource> = {};
function known(apiVersion: string, kind: string, plural: string, namespaced = true): void {
  builtin[`${apiVersion}/${kind}`] = { plural, namespaced };
}
known('v1', 'Namespace', 'namespaces', false);
known('v1', 'Node', 'nodes', false);
known('v1', 'ConfigMap', 'configmaps');
known('v1', 'Secret', 'secrets');
known('v1', 'Service', 'services');
known('v1', 'ServiceAccount', 'serviceaccounts');
known('v1', 'Pod', 'pods');
known('v1', 'Event', 'events');
known('v1', 'PersistentVolumeClaim', 'persistentvolumeclaims');
known('apps/v1', 'Deployment', 'deployments');
known('apps/v1', 'ReplicaSet', 'replicasets');
known('apps/v1', 'StatefulSet', 'statefulsets');
known('apps/v1', 'DaemonSet', 'daemonsets');
known('batch/v1', 'Job', 'jobs');
known('batch/v1', 'CronJob', 'cronjobs');
known('networking.k8s.io/v1', 'Ingress', 'ingresses');
known('networking.k8s.io/v1', 'NetworkPolicy', 'networkpolicies');
known('autoscaling/v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers');
known('policy/v1', 'PodDisruptionBudget', 'poddisruptionbudgets');
known('coordination.k8s.io/v1', 'Lease', 'leases');
known('rbac.authorization.k8s.io/v1', 'Role', 'roles');
known('rbac.authorization.k8s.io/v1', 'RoleBinding', 'rolebindings');

export function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

interface ResourceList {
  resources?: { name?: string; kind?: string; namespaced?: boolean }[];
}

export class Discovery {
  private readonly groups = new Map<string, Promise<Map<string, Resource> | undefined>>();

  /** `get` fetches a path's body (rejecting with HttpStatusError on an error answer). */
  constructor(private readonly get: (path: string) => Promise<string>) {}

  /** The kinds one group version serves; undefined when the server does not serve it (404). */
  private served(apiVersion: string): Promise<Map<string, Resource> | undefined> {
    let p = this.groups.get(apiVersion);
    if (!p) {
      p = this.get(groupVersionPath(apiVersion)).then(
        (body) => {
          const list = JSON.parse(body) as ResourceList;
          const kinds = new Map<string, Resource>();
          for (const r of list.resources ?? []) {
            // subresources (deployments/status, pods/log) are not kinds of their own
            if (!r.name || !r.kind || r.name.includes('/')) continue;
            kinds.set(r.kind, { plural: r.name, namespaced: r.namespaced === true });
          }
          return kinds;
        },
        (e: unknown) => {
          if (e instanceof HttpStatusError && e.status === 404) return undefined;
          this.groups.delete(apiVersion); // not cached: the next call asks again
          throw e;
        },
      );
      this.groups.set(apiVersion, p);
    }
    return p;
  }

  /**
   * Whether the server serves this kind. The built-in kinds above are GA in every supported
   * Kubernetes (≥ 1.23), so they are not asked about; anything else is (a CRD such as
   * PrometheusRule may not be installed).
   */
  async serves(apiVersion: string, kind: string): Promise<boolean> {
    if (builtin[`${apiVersion}/${kind}`]) return true;
    return (await this.served(apiVersion))?.has(kind) ?? false;
  }

  /** The kind's resource: built in, else discovered; undefined when the server does not serve it. */
  async resource(apiVersion: string, kind: string): Promise<Resource | undefined> {
    return builtin[`${apiVersion}/${kind}`] ?? (await this.served(apiVersion))?.get(kind);
  }
}
