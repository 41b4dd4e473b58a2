// Ingresses (networking.k8s.io/v1) for the workload's routes. Routes are grouped by visibility
// (public → the environment's ingress class, internal → policy.internalIngressClass) and allow-list,
// because the ingress class and ingress-nginx's source-range annotation apply to a whole Ingress.
// TLS: by default ONE wildcard secret per environment for every host (ANNA hit Let's Encrypt's rate
// limit with 150 per-host certificates); with cert-manager configured, an issuer annotation and one
// secret per Ingress. Names depend on the group only (ingressName), never on the other routes.
import type { V1HTTPIngressPath, V1IngressRule } from '@kubernetes/client-node';
import type { Route, Workload } from '../../model/types.ts';
import { staticLabels } from './labels.ts';
import { labelName, shortHash } from './names.ts';
import type { Ingress } from './object.ts';
import { serviceName } from './service.ts';

export const ANNOTATION_WHITELIST = 'nginx.ingress.kubernetes.io/whitelist-source-range';
export const ANNOTATION_CLUSTER_ISSUER = 'cert-manager.io/cluster-issuer';
export const ANNOTATION_ISSUER = 'cert-manager.io/issuer';

interface Group {
  public: boolean;
  allow: string[];
  routes: Route[];
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function groups(routes: readonly Route[]): Group[] {
  const byKey = new Map<string, Group>();
  for (const r of routes) {
    const allow = [...new Set(r.allow)].sort(cmp);
    const key = `${r.public ? 'public' : 'internal'} ${allow.join(',')}`;
    let g = byKey.get(key);
    if (!g) byKey.set(key, (g = { public: r.public, allow, routes: [] }));
    g.routes.push(r);
  }
  return [...byKey.entries()].sort(([a], [b]) => cmp(a, b)).map(([, g]) => g);
}

function rules(w: Workload, routes: readonly Route[]): V1IngressRule[] {
  const byHost = new Map<string, Map<string, V1HTTPIngressPath>>();
  for (const r of routes) {
    let paths = byHost.get(r.host);
    if (!paths) byHost.set(r.host, (paths = new Map()));
    if (paths.has(r.path)) continue; // the first route for a host and path wins
    paths.set(r.path, {
      path: r.path,
      pathType: 'Prefix',
      backend: { service: { name: serviceName(w), port: { name: r.port } } },
    });
  }
  return [...byHost.keys()].sort(cmp).map((host) => {
    const paths = byHost.get(host)!;
    const http = { paths: [...paths.keys()].sort(cmp).map((p) => paths.get(p)!) };
    return host === '' ? { http } : { host, http };
  });
}

/**
 * The name of a group's Ingress, from the group alone: `<service>-public` / `<service>-internal`,
 * and `-<6 hex of the allow list>` when it has one. Adding or removing another route never
 * renames it (a rename is a delete + create, and with cert-manager a new certificate).
 */
export function ingressName(service: string, isPublic: boolean, allow: readonly string[]): string {
  const visibility = isPublic ? 'public' : 'internal';
  return labelName(`${service}-${visibility}${allow.length > 0 ? `-${shortHash(allow.join(','), 6)}` : ''}`);
}

export function renderIngresses(w: Workload): Ingress[] {
  return groups(w.routes).map((g) => {
    const name = ingressName(w.service, g.public, g.allow);
    const annotations: Record<string, string> = {};
    if (g.allow.length > 0) annotations[ANNOTATION_WHITELIST] = g.allow.join(',');
    const ruleList = rules(w, g.routes);
    const hosts = ruleList.flatMap((r) => (r.host ? [r.host] : []));
    const tls = w.environment.tls;
    const ing: Ingress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name, namespace: w.environment.namespace, labels: staticLabels(w, 'web'), annotations },
      spec: {
        ingressClassName: g.public ? w.environment.ingressClass : w.policy.internalIngressClass,
        rules: ruleList,
      },
    };
    if (hosts.length > 0 && tls.kind === 'wildcard') {
      ing.spec!.tls = [{ hosts, secretName: tls.secretName }];
    } else if (hosts.length > 0 && tls.kind === 'cert-manager') {
      annotations[tls.issuerKind === 'ClusterIssuer' ? ANNOTATION_CLUSTER_ISSUER : ANNOTATION_ISSUER] =
        tls.issuer;
      ing.spec!.tls = [{ hosts, secretName: `${name}-tls` }];
    }
    if (Object.keys(annotations).length === 0) delete ing.metadata.annotations;
    return ing;
  });
}
