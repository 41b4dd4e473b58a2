// The cut-over's objects for one traffic state: the old backends, the maintenance page and each
// service's traffic objects by the plan's driver. Pure and deterministic: the same plan and state
// give the same objects in the same order (kind order, then name).
import type { CutoverPlan } from '../../model/cutover.ts';
import { renderBackend } from './backend.ts';
import { oldServiceName, type CutoverObject, type TrafficState } from './common.ts';
import { renderGateway } from './gateway-api.ts';
import { renderNginx } from './ingress-nginx.ts';
import { renderPage } from './page.ts';
import { renderTraefik, renderTraefikShared } from './traefik.ts';

export type { CutoverObject, TrafficState } from './common.ts';

const ORDER = [
  'ConfigMap',
  'Service',
  'EndpointSlice',
  'Deployment',
  'Middleware',
  'ServersTransport',
  'TraefikService',
  'IngressRoute',
  'Ingress',
  'BackendTLSPolicy',
  'HTTPRoute',
];

function rank(o: CutoverObject): number {
  const i = ORDER.indexOf(o.kind);
  return i < 0 ? ORDER.length : i;
}

export function renderCutover(plan: CutoverPlan, state: TrafficState): CutoverObject[] {
  const out: CutoverObject[] = [...renderPage(plan)];
  if (plan.driver === 'traefik') out.push(...renderTraefikShared(plan));
  for (const s of plan.services) {
    out.push(...renderBackend(plan, oldServiceName(s.service), s.old, 'old-platform'));
    if (plan.driver === 'ingress-nginx') out.push(...renderNginx(plan, s, state));
    else if (plan.driver === 'traefik') out.push(...renderTraefik(plan, s, state));
    else out.push(...renderGateway(plan, s, state));
  }
  return out.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0),
  );
}
