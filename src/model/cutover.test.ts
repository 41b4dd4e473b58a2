import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FerryError, InvalidInputError } from '../errors.ts';
import { appFromTexts } from '../manifest/memory.ts';
import { movedHosts, resolveCutover } from './cutover.ts';
import { cutoverApp, platformText, SERVICE_API, SERVICE_WEB } from './cutover-testing.ts';

const app = (platform: string) =>
  appFromTexts({ file: '/p/ferry.platform.yaml', text: platform }, [
    { file: '/p/web/ferry.yaml', text: SERVICE_WEB },
    { file: '/p/api/ferry.yaml', text: SERVICE_API },
  ]);

test('the plan: hosts from the routes, old backends by name or address, one step per weight', () => {
  const p = resolveCutover(cutoverApp('traefik'), 'prod');
  assert.equal(p.name, 'cutover');
  assert.equal(p.environment.namespace, 'shop');
  assert.deepEqual(movedHosts(p), ['api.example.com', 'web.example.com', 'www.example.com']);
  const web = p.services.find((s) => s.service === 'web')!;
  assert.equal(web.port, 8080);
  assert.deepEqual(web.old.target, { kind: 'host', host: 'old-lb.example.net' });
  const api = p.services.find((s) => s.service === 'api')!;
  assert.deepEqual(api.routes, [{ host: 'api.example.com', path: '/api' }]);
  assert.deepEqual(api.old, {
    target: { kind: 'address', address: '192.0.2.10' },
    port: 443,
    tls: true,
    hostHeader: undefined,
    tlsName: 'api.old.example.net',
  });
  assert.deepEqual(
    p.steps.map((s) => (s.kind === 'weight' ? s.weight : s.kind)),
    ['maintenance', 'drain', 'run', 'services', 'maintenance', 5, 25, 50, 100],
  );
  assert.equal(p.maintenance.retryAfterSeconds, 600);
});

test('an environment without a cut-over is E_NO_CUTOVER', () => {
  assert.throws(
    () => resolveCutover(cutoverApp('traefik'), 'test'),
    (e: unknown) => e instanceof FerryError && e.code === 'E_NO_CUTOVER',
  );
});

test('bad runbooks are refused with every problem, located in the platform file', () => {
  const text = platformText('gateway-api')
    .replace('    gateway: { name: public, namespace: gateways }\n', '')
    .replace('weights: [5, 25, 50, 100]', 'weights: [25, 5, 50]');
  try {
    resolveCutover(app(text), 'prod');
    assert.fail('expected an error');
  } catch (e) {
    assert.ok(e instanceof InvalidInputError);
    const got = e.issues.map((i) => `${i.path}: ${i.message}`);
    assert.ok(
      got.some((m) => m.startsWith('cutover.prod.gateway: the gateway-api driver needs')),
      got.join('\n'),
    );
    assert.equal(e.issues[0]!.loc?.file, '/p/ferry.platform.yaml');
  }
  try {
    resolveCutover(
      app(platformText('traefik').replace('weights: [5, 25, 50, 100]', 'weights: [25, 5, 50]')),
      'prod',
    );
    assert.fail('expected an error');
  } catch (e) {
    assert.ok(e instanceof InvalidInputError);
    const got = e.issues.map((i) => `${i.path}: ${i.message}`);
    assert.deepEqual(got, [
      'cutover.prod.steps[5].weights: weights must rise: 5 % after 25 %',
      'cutover.prod.steps: the runbook ends with 50 % of requests on the new platform',
    ]);
    assert.match(String(e.issues[0]!.loc?.line), /^\d+$/);
  }
});

test('an unknown service, an old backend with neither host nor address, and a name taken by a service', () => {
  const text = platformText('traefik')
    .replace('old: { host: old-lb.example.net, port: 80 }', 'old: { port: 80 }')
    .replace('    driver: traefik\n', '    driver: traefik\n    name: web\n');
  assert.throws(
    () => resolveCutover(app(text), 'prod'),
    (e: unknown) =>
      e instanceof InvalidInputError &&
      e.issues.some((i) => i.path === 'cutover.prod.name' && /a service's name/.test(i.message)),
  );
  const missing = platformText('traefik').replace('      api:\n', '      shop:\n');
  assert.throws(
    () => resolveCutover(app(missing), 'prod'),
    (e: unknown) =>
      e instanceof InvalidInputError && e.issues.some((i) => /no service "shop"/.test(i.message)),
  );
  const none = platformText('traefik').replace(
    'old: { host: old-lb.example.net, port: 80 }',
    'old: { port: 80 }',
  );
  assert.throws(
    () => resolveCutover(app(none), 'prod'),
    (e: unknown) =>
      e instanceof InvalidInputError && e.issues.some((i) => i.path === 'cutover.prod.services.web.old'),
  );
});
