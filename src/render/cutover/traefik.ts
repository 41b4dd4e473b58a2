// Traefik (v3, traefik.io/v1alpha1): per moved service a weighted TraefikService (the new
// platform's Service and the old one's, by percent; a zero share is left out) and an IngressRoute
// for its hosts and paths, with a priority above the Ingress ferry's deploy renders. In
// maintenance the route goes to the page with a headers middleware adding Retry-After. The old
// backend by name needs the provider's allowExternalNameServices; HTTPS to it uses a
// ServersTransport with the TLS name.
import type { CutoverPlan, CutoverService } from '../../model/cutover.ts';
import { labelName } from '../kubernetes/names.ts';
import {
  cutoverName,
  meta,
  oldServiceName,
  oldWeight,
  pageName,
  pagePort,
  type CutoverObject,
  type TrafficState,
} from './common.ts';

const API = 'traefik.io/v1alpha1';
/** Above any rule-length priority Traefik gives the deploy's own Ingress routers. */
export const ROUTE_PRIORITY = 10_000;

export function retryAfterMiddleware(plan: CutoverPlan): string {
  return labelName(`${plan.name}-retry-after`);
}

function transportName(service: string): string {
  return labelName(`${service}-old-tls`);
}

export function renderTraefikShared(plan: CutoverPlan): CutoverObject[] {
  return [
    {
      apiVersion: API,
      kind: 'Middleware',
      metadata: meta(plan, retryAfterMiddleware(plan), 'maintenance'),
      spec: {
        headers: { customResponseHeaders: { 'Retry-After': String(plan.maintenance.retryAfterSeconds) } },
      },
    },
  ];
}

function match(host: string, path: string): string {
  return path === '/' ? `Host(\`${host}\`)` : `Host(\`${host}\`) && PathPrefix(\`${path}\`)`;
}

export function renderTraefik(plan: CutoverPlan, s: CutoverService, state: TrafficState): CutoverObject[] {
  const out: CutoverObject[] = [];
  const old = {
    name: oldServiceName(s.service),
    port: s.old.port,
    weight: oldWeight(state),
    // the old platform is asked for its own name unless it expects the request's Host
    passHostHeader: s.old.hostHeader === undefined,
    ...(s.old.tls ? { scheme: 'https', serversTransport: transportName(s.service) } : {}),
  };
  const weighted = [{ name: s.serviceName, port: s.port, weight: state.weight }, old].filter(
    (x) => x.weight > 0,
  );
  out.push({
    apiVersion: API,
    kind: 'TraefikService',
    metadata: meta(plan, cutoverName(s.service), 'cutover'),
    spec: { weighted: { services: weighted } },
  });
  if (s.old.tls)
    out.push({
      apiVersion: API,
      kind: 'ServersTransport',
      metadata: meta(plan, transportName(s.service), 'cutover'),
      spec: { serverName: s.old.tlsName },
    });
  const tls = plan.environment.tls;
  out.push({
    apiVersion: API,
    kind: 'IngressRoute',
    metadata: meta(plan, cutoverName(s.service), 'cutover'),
    spec: {
      entryPoints: [...plan.entryPoints],
      routes: s.routes.map((r) => ({
        kind: 'Rule',
        match: match(r.host, r.path),
        priority: ROUTE_PRIORITY,
        ...(state.maintenance
          ? {
              middlewares: [{ name: retryAfterMiddleware(plan) }],
              services: [{ name: pageName(plan), port: pagePort(plan), kind: 'Service' }],
            }
          : { services: [{ name: cutoverName(s.service), kind: 'TraefikService' }] }),
      })),
      ...(tls.kind === 'wildcard' ? { tls: { secretName: tls.secretName } } : {}),
    },
  });
  return out;
}
