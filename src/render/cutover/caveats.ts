// What each driver cannot do with an old backend, said before the day: ingress-nginx ignores
// every annotation but a few on a canary Ingress, Traefik needs allowExternalNameServices and sends
// the backend's own name as Host when told not to pass the request's, ExternalName support in
// Gateway API is per implementation.
import type { CutoverPlan } from '../../model/cutover.ts';

export function driverCaveats(plan: CutoverPlan): string[] {
  const out: string[] = [];
  for (const s of plan.services) {
    const o = s.old;
    const byName = o.target.kind === 'host';
    if (plan.driver === 'ingress-nginx') {
      if (o.hostHeader)
        out.push(
          `${s.service}: ingress-nginx ignores upstream-vhost on a canary Ingress: the old platform gets the request's own Host, not ${o.hostHeader} (make it answer that host, or use the traefik or gateway-api driver)`,
        );
      if (o.tls)
        out.push(
          `${s.service}: ingress-nginx ignores backend-protocol and proxy-ssl-name on a canary Ingress: the old platform is spoken to over plain HTTP on port ${o.port}`,
        );
    } else if (plan.driver === 'traefik') {
      if (byName)
        out.push(
          `${s.service}: the old backend is an ExternalName Service: Traefik's kubernetesCRD provider needs allowExternalNameServices: true, else the route is dropped without an error`,
        );
      if (o.hostHeader && (o.target.kind !== 'host' || o.hostHeader !== o.target.host))
        out.push(
          `${s.service}: Traefik sends the old backend its Service's address as Host (passHostHeader: false), not ${o.hostHeader}: give the host ${o.hostHeader} as old.host`,
        );
    } else if (byName)
      out.push(
        `${s.service}: an ExternalName backendRef is implementation-specific in Gateway API: check that your Gateway's implementation supports it, or give old.address`,
      );
  }
  return out;
}
