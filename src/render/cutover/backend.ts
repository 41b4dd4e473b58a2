// A backend outside the cluster as a Service the proxies can route to: an ExternalName Service for
// a DNS name (no proxying by Kubernetes, a CNAME only: the Host header and TLS name stay the
// request's unless the driver sets them), or a selector-less Service with an EndpointSlice for an
// address (Kubernetes' documented way to name an IP outside the cluster).
import type { CutoverPlan, OldBackend } from '../../model/cutover.ts';
import { meta, type CutoverObject } from './common.ts';

export function renderBackend(
  plan: CutoverPlan,
  name: string,
  b: OldBackend,
  component: string,
): CutoverObject[] {
  const port = { name: b.tls ? 'https' : 'http', port: b.port, protocol: 'TCP', targetPort: b.port };
  if (b.target.kind === 'host')
    return [
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta(plan, name, component),
        spec: { type: 'ExternalName', externalName: b.target.host, ports: [port] },
      },
    ];
  const family = b.target.address.includes(':') ? 'IPv6' : 'IPv4';
  const service: CutoverObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(plan, name, component),
    spec: { type: 'ClusterIP', ports: [port] },
  };
  const m = meta(plan, name, component);
  const slice: CutoverObject = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      ...m,
      labels: {
        ...m.labels,
        'kubernetes.io/service-name': name,
        'endpointslice.kubernetes.io/managed-by': 'ferry.dev',
      },
    },
    addressType: family,
    endpoints: [{ addresses: [b.target.address], conditions: { ready: true } }],
    ports: [{ name: port.name, port: b.port, protocol: 'TCP' }],
  };
  return [service, slice];
}
