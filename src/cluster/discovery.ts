// Where a kind lives on the API server: its plural resource name and whether it is namespaced.
// The kinds of ferry's table (src/kinds.ts) are known, so requests for them need no discovery;
// any other kind is looked up once per group version (one GET of /api/v1 or
// /apis/<group>/<version>) and kept for the life of the process. Whether the server serves a
// kind is asked of it, except for the API groups every supported Kubernetes (≥ 1.23) serves.
import { kindInfo } from '../kinds.ts';
import { HttpStatusError } from './http.ts';

export interface Resource {
  plural: string;
  namespaced: boolean;
}

/** Group versions built into every supported API server (CRDs such as monitoring.coreos.com are not). */
const BUILT_IN = new Set([
  'v1',
  'apps/v1',
  'batch/v1',
  'policy/v1',
  'autoscaling/v2',
  'networking.k8s.io/v1',
  'coordination.k8s.io/v1',
  'rbac.authorization.k8s.io/v1',
]);

function known(apiVersion: string, kind: string): Resource | undefined {
  const k = kindInfo(kind);
  return k && k.apiVersion === apiVersion ? { plural: k.plural, namespaced: k.namespaced } : undefined;
}

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
   * Whether the server serves this kind: known built-in kinds without asking; anything else is
   * asked (a CRD such as PrometheusRule may not be installed).
   */
  async serves(apiVersion: string, kind: string): Promise<boolean> {
    if (BUILT_IN.has(apiVersion) && known(apiVersion, kind)) return true;
    return (await this.served(apiVersion))?.has(kind) ?? false;
  }

  /** The kind's resource: built in, else discovered; undefined when the server does not serve it. */
  async resource(apiVersion: string, kind: string): Promise<Resource | undefined> {
    return known(apiVersion, kind) ?? (await this.served(apiVersion))?.get(kind);
  }
}
