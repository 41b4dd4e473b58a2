// What an ingress controller does, for one Service, in the test process: a real HTTP reverse
// proxy on 127.0.0.1 that sends each request to a ready endpoint of the Service (from its
// EndpointSlices, as kube-proxy and ingress controllers read them) and adds the X-Forwarded-*
// headers. The test cluster has no kube-proxy (ClusterIPs carry no traffic) and no ingress
// controller; with this, a URL known before a deploy (an HTTP check's) reaches the pods.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DiscoveryV1Api } from '@kubernetes/client-node';
import { testCluster } from './cluster.ts';

export interface ServiceProxy {
  /** http://127.0.0.1:<port> */
  url: string;
  /** pod IPs requests went to, in order */
  backends: string[];
  close(): Promise<void>;
}

/** A ready `address:port` of Service `service`'s port named `portName`, round robin. */
async function pickEndpoint(
  discovery: DiscoveryV1Api,
  namespace: string,
  service: string,
  portName: string,
  turn: number,
): Promise<{ host: string; port: number } | undefined> {
  const slices = await discovery.listNamespacedEndpointSlice({
    namespace,
    labelSelector: `kubernetes.io/service-name=${service}`,
  });
  const ready: { host: string; port: number }[] = [];
  for (const s of slices.items) {
    const port = s.ports?.find((p) => p.name === portName)?.port;
    if (port === undefined) continue;
    for (const e of s.endpoints) {
      if (e.conditions?.ready === false) continue;
      for (const host of e.addresses) ready.push({ host, port });
    }
  }
  ready.sort((a, b) => a.host.localeCompare(b.host));
  return ready.length ? ready[turn % ready.length] : undefined;
}

/** Starts the proxy for Service `service` (port `portName`, default `http`) in `namespace`. */
export async function serviceProxy(
  namespace: string,
  service: string,
  portName = 'http',
): Promise<ServiceProxy> {
  const { kc } = await testCluster();
  const discovery = kc.makeApiClient(DiscoveryV1Api);
  const backends: string[] = [];
  let turn = 0;

  const forward = async (req: IncomingMessage, res: ServerResponse) => {
    const target = await pickEndpoint(discovery, namespace, service, portName, turn++);
    if (!target) {
      res
        .writeHead(503, { 'content-type': 'text/plain' })
        .end(`no ready endpoint for ${namespace}/${service}\n`);
      return;
    }
    backends.push(target.host);
    const client = req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '';
    const prior = req.headers['x-forwarded-for'];
    const headers = {
      ...req.headers,
      'x-forwarded-for': prior ? `${String(prior)}, ${client}` : client,
      'x-forwarded-host': req.headers.host ?? '',
      'x-forwarded-proto': 'http',
    };
    const upstream = request(
      { host: target.host, port: target.port, method: req.method, path: req.url, headers, timeout: 5000 },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('timeout', () => upstream.destroy(new Error('upstream timed out')));
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`upstream ${target.host}:${target.port}: ${err.message}\n`);
    });
    req.pipe(upstream);
  };

  const server = createServer((req, res) => {
    forward(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy: ${err instanceof Error ? err.message : String(err)}\n`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    backends,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
