// Gateway API: an HTTPRoute per moved service on the configured Gateway, each rule's backendRefs
// weighted new/old by percent (weights are proportional; 0 gets no traffic). In maintenance every
// rule goes to the page, with a ResponseHeaderModifier adding Retry-After. A Host the old platform
// expects is a URLRewrite on the old backendRef; HTTPS to it is a BackendTLSPolicy with its TLS
// name. ExternalName backends are supported per implementation.
import type { CutoverPlan, CutoverService } from '../../model/cutover.ts';
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

export function renderGateway(plan: CutoverPlan, s: CutoverService, state: TrafficState): CutoverObject[] {
  const g = plan.gateway!;
  const old = oldServiceName(s.service);
  const backends = state.maintenance
    ? [{ name: pageName(plan), port: pagePort(plan), weight: 1 }]
    : [
        { name: s.serviceName, port: s.port, weight: state.weight },
        {
          name: old,
          port: s.old.port,
          weight: oldWeight(state),
          ...(s.old.hostHeader
            ? { filters: [{ type: 'URLRewrite', urlRewrite: { hostname: s.old.hostHeader } }] }
            : {}),
        },
      ];
  const out: CutoverObject[] = [
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: meta(plan, cutoverName(s.service), 'cutover'),
      spec: {
        parentRefs: [
          {
            group: 'gateway.networking.k8s.io',
            kind: 'Gateway',
            name: g.name,
            ...(g.namespace ? { namespace: g.namespace } : {}),
            ...(g.sectionName ? { sectionName: g.sectionName } : {}),
          },
        ],
        hostnames: [...new Set(s.routes.map((r) => r.host))].sort(),
        rules: [...new Set(s.routes.map((r) => r.path))].sort().map((path) => ({
          matches: [{ path: { type: 'PathPrefix', value: path } }],
          ...(state.maintenance
            ? {
                filters: [
                  {
                    type: 'ResponseHeaderModifier',
                    responseHeaderModifier: {
                      set: [{ name: 'Retry-After', value: String(plan.maintenance.retryAfterSeconds) }],
                    },
                  },
                ],
              }
            : {}),
          backendRefs: backends.map((b) => ({ group: '', kind: 'Service', ...b })),
        })),
      },
    },
  ];
  if (s.old.tls)
    out.push({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'BackendTLSPolicy',
      metadata: meta(plan, old, 'cutover'),
      spec: {
        targetRefs: [{ group: '', kind: 'Service', name: old }],
        validation: { hostname: s.old.tlsName, wellKnownCACertificates: 'System' },
      },
    });
  return out;
}
