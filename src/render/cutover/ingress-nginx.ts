// ingress-nginx: a canary Ingress per moved service beside the Ingress ferry's deploy renders for
// it (the main one, to the new platform). The canary takes the old platform's share
// (canary-weight = 100 − the new platform's percent); in maintenance it points at the page with
// weight 100. ingress-nginx allows one canary per Ingress rule and ignores every other annotation
// on a canary (upstream-vhost, backend-protocol, proxy-ssl-name): the old backend gets the request's
// own Host and plain HTTP — see caveats.ts.
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

const A = 'nginx.ingress.kubernetes.io/';

export function renderNginx(plan: CutoverPlan, s: CutoverService, state: TrafficState): CutoverObject[] {
  const backend = state.maintenance
    ? { name: pageName(plan), port: pagePort(plan), weight: 100 }
    : { name: oldServiceName(s.service), port: s.old.port, weight: oldWeight(state) };
  const tls = plan.environment.tls;
  const hosts = [...new Set(s.routes.map((r) => r.host))].sort();
  return [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: meta(plan, cutoverName(s.service), 'cutover', {
        [`${A}canary`]: 'true',
        [`${A}canary-weight`]: String(backend.weight),
        [`${A}canary-weight-total`]: '100',
      }),
      spec: {
        ingressClassName: plan.environment.ingressClass,
        rules: hosts.map((host) => ({
          host,
          http: {
            paths: s.routes
              .filter((r) => r.host === host)
              .map((r) => ({
                path: r.path,
                pathType: 'Prefix',
                backend: { service: { name: backend.name, port: { number: backend.port } } },
              })),
          },
        })),
        ...(tls.kind === 'wildcard' ? { tls: [{ hosts, secretName: tls.secretName }] } : {}),
      },
    },
  ];
}
