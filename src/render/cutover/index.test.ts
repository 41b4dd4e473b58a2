import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveCutover } from '../../model/cutover.ts';
import { cutoverApp } from '../../model/cutover-testing.ts';
import { driverCaveats } from './caveats.ts';
import type { CutoverObject } from './common.ts';
import { renderCutover } from './index.ts';
import { pageNginxConf } from './page.ts';

const plan = (d: 'traefik' | 'ingress-nginx' | 'gateway-api') => resolveCutover(cutoverApp(d), 'prod');
const find = (objs: CutoverObject[], kind: string, name: string) => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  assert.ok(o, `${kind}/${name} in ${objs.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`);
  return o as CutoverObject & { spec: Record<string, unknown> };
};

test('old backends: ExternalName for a name, a selector-less Service with an EndpointSlice for an address', () => {
  const objs = renderCutover(plan('traefik'), { maintenance: false, weight: 0 });
  const web = find(objs, 'Service', 'web-old');
  assert.deepEqual(web.spec, {
    type: 'ExternalName',
    externalName: 'old-lb.example.net',
    ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 80 }],
  });
  const api = find(objs, 'Service', 'api-old');
  assert.equal(api.spec.selector, undefined);
  const slice = find(objs, 'EndpointSlice', 'api-old');
  assert.equal(slice.metadata.labels['kubernetes.io/service-name'], 'api-old');
  assert.deepEqual(slice.endpoints, [{ addresses: ['192.0.2.10'], conditions: { ready: true } }]);
  // never the labels a deploy prunes by
  for (const o of objs) assert.equal(o.metadata.labels['ferry.dev/service'], undefined);
});

test('traefik: the weighted TraefikService follows the weight, maintenance routes to the page with Retry-After', () => {
  const p = plan('traefik');
  const at = (weight: number, maintenance = false) => renderCutover(p, { maintenance, weight });
  const weights = (objs: CutoverObject[]) =>
    (
      find(objs, 'TraefikService', 'web-cutover').spec.weighted as {
        services: { name: string; weight: number }[];
      }
    ).services.map((s) => `${s.name}=${s.weight}`);
  assert.deepEqual(weights(at(0)), ['web-old=100']);
  assert.deepEqual(weights(at(25)), ['web=25', 'web-old=75']);
  assert.deepEqual(weights(at(100)), ['web=100']);
  const route = find(at(25, true), 'IngressRoute', 'web-cutover').spec.routes as Record<string, unknown>[];
  assert.deepEqual(route[0]!.services, [{ name: 'cutover-maintenance', port: 8080, kind: 'Service' }]);
  assert.deepEqual(route[0]!.middlewares, [{ name: 'cutover-retry-after' }]);
  const mw = find(at(0), 'Middleware', 'cutover-retry-after').spec;
  assert.deepEqual(mw, { headers: { customResponseHeaders: { 'Retry-After': '600' } } });
  // HTTPS to the old api: a ServersTransport with its TLS name
  assert.deepEqual(find(at(5), 'ServersTransport', 'api-old-tls').spec, {
    serverName: 'api.old.example.net',
  });
  assert.deepEqual(at(50), at(50), 'deterministic');
});

test('ingress-nginx: a canary Ingress takes the old share, or all of it to the page', () => {
  const p = plan('ingress-nginx');
  const canary = (weight: number, maintenance = false) =>
    find(renderCutover(p, { maintenance, weight }), 'Ingress', 'web-cutover');
  const a = (o: CutoverObject) => o.metadata.annotations ?? {};
  assert.equal(a(canary(5))['nginx.ingress.kubernetes.io/canary'], 'true');
  assert.equal(a(canary(5))['nginx.ingress.kubernetes.io/canary-weight'], '95');
  assert.equal(a(canary(100))['nginx.ingress.kubernetes.io/canary-weight'], '0');
  const m = canary(25, true);
  assert.equal(a(m)['nginx.ingress.kubernetes.io/canary-weight'], '100');
  const rules = m.spec.rules as { host: string; http: { paths: { backend: unknown }[] } }[];
  assert.deepEqual(
    rules.map((r) => r.host),
    ['web.example.com', 'www.example.com'],
  );
  assert.deepEqual(rules[0]!.http.paths[0]!.backend, {
    service: { name: 'cutover-maintenance', port: { number: 8080 } },
  });
  assert.deepEqual(m.spec.tls, [
    { hosts: ['web.example.com', 'www.example.com'], secretName: 'wildcard-prod-tls' },
  ]);
  assert.ok(driverCaveats(p).some((c) => /ignores backend-protocol/.test(c)));
});

test('gateway-api: backendRefs weights, the page with a Retry-After filter, BackendTLSPolicy for HTTPS', () => {
  const p = plan('gateway-api');
  const rules = (weight: number, maintenance = false) =>
    find(renderCutover(p, { maintenance, weight }), 'HTTPRoute', 'web-cutover').spec.rules as {
      backendRefs: { name: string; weight: number }[];
      filters?: unknown[];
    }[];
  assert.deepEqual(
    rules(25)[0]!.backendRefs.map((b) => `${b.name}=${b.weight}`),
    ['web=25', 'web-old=75'],
  );
  const m = rules(0, true)[0]!;
  assert.deepEqual(
    m.backendRefs.map((b) => b.name),
    ['cutover-maintenance'],
  );
  assert.deepEqual(m.filters, [
    {
      type: 'ResponseHeaderModifier',
      responseHeaderModifier: { set: [{ name: 'Retry-After', value: '600' }] },
    },
  ]);
  const tls = find(renderCutover(p, { maintenance: false, weight: 5 }), 'BackendTLSPolicy', 'api-old').spec;
  assert.deepEqual(tls.validation, { hostname: 'api.old.example.net', wellKnownCACertificates: 'System' });
});

test("ferry's page answers 503 with Retry-After on every path and 200 on /healthz", () => {
  const conf = pageNginxConf(600);
  assert.match(conf, /location \/ \{ add_header Retry-After 600 always; return 503; \}/);
  assert.match(conf, /location = \/healthz \{ return 200/);
  const objs = renderCutover(plan('traefik'), { maintenance: true, weight: 0 });
  assert.ok(find(objs, 'Deployment', 'cutover-maintenance'));
  assert.ok(find(objs, 'ConfigMap', 'cutover-maintenance'));
});
