import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMappers } from '../testing.ts';
import { mapRoutes } from '../map/routes.ts';
import { mapLabels } from './index.ts';
import { parseTraefikV1Rule, parseTraefikV2Rule } from './rules.ts';

test('Traefik rules: Host, PathPrefix, && and ||; other matchers cannot be expressed', () => {
  assert.deepEqual(parseTraefikV2Rule('Host(`a.com`) && PathPrefix(`/api`)'), [
    { host: 'a.com', path: '/api' },
  ]);
  assert.deepEqual(parseTraefikV2Rule('Host(`a`) || Host(`b`)'), [
    { host: 'a', path: undefined },
    { host: 'b', path: undefined },
  ]);
  assert.equal(parseTraefikV2Rule('Headers(`X`, `y`)'), undefined);
  assert.deepEqual(parseTraefikV1Rule('Host:a.com;PathPrefix:/x'), [{ host: 'a.com', path: '/x' }]);
  assert.equal(parseTraefikV1Rule('Method:GET'), undefined);
});

test('Traefik labels: a router rule with an allow-list middleware is a public route with allow', () => {
  const r = runMappers([mapLabels, mapRoutes], {
    deploy: {
      labels: {
        'traefik.enable': 'true',
        'traefik.http.services.ui.loadbalancer.server.port': '3000',
        'traefik.http.routers.ui.rule': 'Host(`ui.example.com`)',
        'traefik.http.routers.ui.middlewares': 'office@docker',
        'traefik.http.middlewares.office.ipallowlist.sourcerange': '10.0.0.0/8, 192.168.0.0/16',
        'traefik.http.routers.ui.tls.certresolver': 'le',
        'traefik.http.middlewares.gz.compress': 'true',
      },
    },
  });
  assert.deepEqual(r.m.routes, [
    { host: 'ui.example.com', public: true, allow: ['10.0.0.0/8', '192.168.0.0/16'] },
  ]);
  assert.equal(r.at('deploy.labels["traefik.http.routers.ui.middlewares"]')?.to, 'routes[].allow');
  assert.equal(r.at('deploy.labels["traefik.http.routers.ui.tls.certresolver"]')?.outcome, 'approximated');
  assert.equal(r.at('deploy.labels["traefik.http.middlewares.gz.compress"]')?.outcome, 'dropped');
});

test('a Traefik rule ferry cannot express is dropped, not written as a route', () => {
  const r = runMappers([mapLabels], { labels: { 'traefik.http.routers.x.rule': 'Method(`GET`)' } });
  assert.equal(r.m.routes, undefined);
  assert.equal(r.at('labels["traefik.http.routers.x.rule"]')?.outcome, 'dropped');
});

test('a route needs a port: without one the route labels are dropped, not reported as mapped', () => {
  const r = runMappers([mapLabels, mapRoutes], {
    labels: { 'traefik.http.routers.x.rule': 'Host(`x.example.com`)', 'traefik.enable': 'true' },
  });
  assert.equal(r.m.routes, undefined);
  assert.equal(r.at('labels["traefik.http.routers.x.rule"]')?.outcome, 'dropped');
  assert.match(r.at('labels["traefik.http.routers.x.rule"]')?.note ?? '', /declares no port/);
});

test('a Traefik port that is not the first port is the routes’ port', () => {
  const r = runMappers(
    [mapLabels, mapRoutes],
    { labels: { 'traefik.http.routers.x.rule': 'Host(`x.example.com`)', 'traefik.port': '9000' } },
    { manifest: { port: 8080 } },
  );
  assert.deepEqual(r.m.ports, [{ port: 8080 }, { port: 9000 }]);
  assert.deepEqual(r.m.routes, [{ host: 'x.example.com', public: true, port: 9000 }]);
});
