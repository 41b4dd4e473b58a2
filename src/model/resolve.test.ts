import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FerryError, InvalidInputError, type Issue } from '../errors.ts';
import { appFromTexts } from '../manifest/memory.ts';
import { listWorkloads, resolveWorkload } from './resolve.ts';

const PLATFORM = `services: ['services/*']
environments:
  test: { namespace: anna-test, domain: test.example.com, env: { SENTRY: test }, placement: { spot: true } }
  prod: { namespace: anna-prod, domain: example.com, protected: true }
policy: { registry: registry.example.com/anna }
`;
const HCN = `service: hcn
image: hcn
command: python /app/hcn/main.py
port: 8080
health: /healthz
env:
  LOGSTASH_TAG: \${service}-\${env}
  LITERAL: "$\${not}"
  COUNT: 3
  TOKEN: secret:hcn-token#value
secrets: { DB_PASSWORD: vault:secret/data/hcn#db_password }
features: { rabbitmq: true, mongo: true, postgres: { database: hcn } }
migrations: { command: python manage.py migrate, down: [python, manage.py, migrate, hcn, previous] }
crons:
  - { name: sync-customers, schedule: "R//PT30M", command: python /app/account/sync.py }
routes:
  - { path: /api, public: true }
checks:
  - { name: smoke, command: pytest tests/smoke }
  - { name: ping, http: /ping }
alerts: { errors5xx: "1%", latencyP99: 500ms }
environments:
  test: { instances: 2 }
  prod: { instances: 4, resources: { memory: 1Gi }, env: { LOGSTASH_TAG: prod-tag } }
`;
const app = () =>
  appFromTexts({ file: 'ferry.platform.yaml', text: PLATFORM }, [{ file: 'hcn/ferry.yaml', text: HCN }]);

test('defaults filled, overlay applied, env interpolated and sorted', () => {
  const w = resolveWorkload(app(), 'hcn', 'test', '1.0.0');
  assert.equal(w.image, 'registry.example.com/anna/hcn:1.0.0');
  assert.equal(w.instances, 2);
  assert.deepEqual(w.resources, { cpuMillis: 500, memoryBytes: 512 * 1024 ** 2 });
  assert.deepEqual(w.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  assert.deepEqual(w.health, {
    action: { kind: 'http', path: '/healthz', port: 'http' },
    initialDelaySeconds: 0,
    periodSeconds: 10,
    timeoutSeconds: 2,
    failureThreshold: 3,
    startupSeconds: 60,
  });
  assert.deepEqual(w.env, [
    { name: 'COUNT', source: { kind: 'literal', value: '3' } },
    { name: 'DB_PASSWORD', source: { kind: 'vault', path: 'secret/data/hcn', key: 'db_password' } },
    { name: 'LITERAL', source: { kind: 'literal', value: '${not}' } },
    { name: 'LOGSTASH_TAG', source: { kind: 'literal', value: 'hcn-test' } },
    { name: 'SENTRY', source: { kind: 'literal', value: 'test' } },
    { name: 'TOKEN', source: { kind: 'secret', name: 'hcn-token', key: 'value' } },
  ]);
  assert.deepEqual(w.features, {
    postgres: { database: 'hcn', user: 'hcn', schema: 'public' },
    mysql: undefined,
    mongo: { database: 'hcn' },
    rabbitmq: { vhost: '/' },
    redis: undefined,
    kafka: undefined,
  });
  assert.deepEqual(w.migration, {
    command: { kind: 'shell', script: 'python manage.py migrate' },
    down: { kind: 'exec', argv: ['python', 'manage.py', 'migrate', 'hcn', 'previous'] },
    timeoutSeconds: 600,
  });
  const cron = w.crons[0];
  assert.equal(cron?.schedule.cron, '*/30 * * * *');
  assert.equal(cron?.concurrency, 'Forbid');
  assert.equal(cron?.startingDeadlineSeconds, 300);
  assert.equal(cron?.activeDeadlineSeconds, 3600);
  assert.deepEqual(cron?.resources, w.resources);
  assert.deepEqual(w.routes, [
    { host: 'hcn.test.example.com', path: '/api', public: true, allow: [], port: 'http' },
  ]);
  assert.deepEqual(w.checks[1], {
    name: 'ping',
    kind: 'http',
    url: 'https://hcn.test.example.com/api/ping',
    expect: 200,
    timeoutSeconds: 120,
  });
  assert.deepEqual(w.alerts, { replicas: true, errors5xxRatio: 0.01, latencyP99Seconds: 0.5 });
  assert.deepEqual(w.placement, {
    spot: true,
    nodeSelector: { 'ferry.dev/pool': 'spot' },
    tolerations: [{ key: 'ferry.dev/spot', operator: 'Exists', value: undefined, effect: 'NoSchedule' }],
  });
  assert.equal(w.environment.namespace, 'anna-test');
  assert.match(w.manifestDigest, /^[0-9a-f]{64}$/);
});

test('prod overlay: maps merge, scalars replace; no spot', () => {
  const w = resolveWorkload(app(), 'hcn', 'prod', '1.0.0');
  assert.equal(w.instances, 4);
  assert.deepEqual(w.resources, { cpuMillis: 500, memoryBytes: 1024 ** 3 });
  assert.deepEqual(w.env.find((e) => e.name === 'LOGSTASH_TAG')?.source, {
    kind: 'literal',
    value: 'prod-tag',
  });
  assert.equal(w.placement.spot, false);
  assert.deepEqual(w.placement.nodeSelector, {});
});

test('manifest digest: stable across comments and version; changes with the manifest', () => {
  const a = resolveWorkload(app(), 'hcn', 'test', '1.0.0').manifestDigest;
  const commented = appFromTexts({ file: 'p', text: `# a comment\n${PLATFORM}` }, [
    { file: 'h', text: HCN.replace('port: 8080', 'port: 8080 # the port') },
  ]);
  assert.equal(resolveWorkload(commented, 'hcn', 'test', '2.0.0').manifestDigest, a);
  const prodOnly = appFromTexts({ file: 'p', text: PLATFORM }, [
    { file: 'h', text: HCN.replace('instances: 4', 'instances: 5') },
  ]);
  assert.equal(
    resolveWorkload(prodOnly, 'hcn', 'test', '1.0.0').manifestDigest,
    a,
    'another environment changed',
  );
  const changed = appFromTexts({ file: 'p', text: PLATFORM }, [
    { file: 'h', text: HCN.replace('port: 8080', 'port: 8081') },
  ]);
  assert.notEqual(resolveWorkload(changed, 'hcn', 'test', '1.0.0').manifestDigest, a);
});

function usage(fn: () => unknown): FerryError {
  try {
    fn();
  } catch (err) {
    if (err instanceof FerryError) return err;
    throw err;
  }
  assert.fail('expected a FerryError');
}

test('unknown service / environment / invalid version: exit 2 with did-you-mean', () => {
  const s = usage(() => resolveWorkload(app(), 'hnc', 'test', '1'));
  assert.equal(s.code, 'E_UNKNOWN_SERVICE');
  assert.equal(s.kind, 'not-found');
  assert.equal(s.hint, 'did you mean "hcn"?');
  const e = usage(() => resolveWorkload(app(), 'hcn', 'prdo', '1'));
  assert.equal(e.code, 'E_UNKNOWN_ENV');
  assert.equal(e.hint, 'did you mean "prod"?');
  for (const v of ['', '-1', '.x', 'a b', 'v1:2', 'x'.repeat(129)]) {
    assert.equal(usage(() => resolveWorkload(app(), 'hcn', 'test', v)).code, 'E_VERSION', v);
  }
  for (const v of ['1.0.0', 'v1', 'sha-abc_DEF', '_x', 'x'.repeat(128)])
    resolveWorkload(app(), 'hcn', 'test', v);
});

function problems(service: string, env = 'test'): readonly Issue[] {
  const a = appFromTexts({ file: 'p.yaml', text: PLATFORM }, [{ file: 's.yaml', text: service }]);
  try {
    resolveWorkload(a, 'x', env, '1');
  } catch (err) {
    if (err instanceof InvalidInputError) return err.issues;
    throw err;
  }
  assert.fail('expected problems');
}

test('semantic problems are collected and located, overlay problems in the overlay', () => {
  const issues = problems(`service: x
image: x:latest
port: 80
ports: [{ port: 81 }]
env: { A: "\${servce}" }
crons:
  - { name: a, schedule: "R//PT90M", command: x }
  - { name: a, schedule: "* * * * *", command: x }
routes: [{ port: admin }]
checks: [{ name: c }]
autoscale: { min: 3, max: 2 }
environments:
  test: { resources: { memory: "512" } }
`);
  const byPath = Object.fromEntries(issues.map((i) => [i.path, i]));
  assert.match(byPath['image']?.hint ?? '', /the tag is the version/);
  assert.match(byPath['port']?.message ?? '', /either port or ports/);
  assert.equal(byPath['env.A']?.hint?.startsWith('did you mean "service"?'), true);
  assert.deepEqual(byPath['env.A']?.loc, { file: 's.yaml', line: 5, col: 11 });
  assert.match(byPath['crons[0].schedule']?.message ?? '', /PT90M does not divide a day/);
  assert.deepEqual(byPath['crons[0].schedule']?.loc, { file: 's.yaml', line: 7, col: 26 });
  assert.match(byPath['crons[1].name']?.message ?? '', /used twice/);
  assert.match(byPath['routes[0].port']?.message ?? '', /not one of the service's ports/);
  assert.match(byPath['checks[0]']?.message ?? '', /command or http/);
  assert.match(byPath['autoscale.min']?.message ?? '', /above max/);
  assert.deepEqual(byPath['environments.test.resources.memory']?.loc, { file: 's.yaml', line: 13, col: 32 });
});

test('routes need a domain or a host', () => {
  const plat = 'environments:\n  bare: {}\n';
  const a = appFromTexts({ file: 'p', text: plat }, [
    {
      file: 's',
      text: 'service: x\nimage: x\nport: 1\nroutes: [{ path: /a }, { host: "${service}.${env}.internal" }]\n',
    },
  ]);
  assert.throws(
    () => resolveWorkload(a, 'x', 'bare', '1'),
    (e: unknown) =>
      e instanceof InvalidInputError &&
      e.issues.length === 1 &&
      /has no domain/.test(e.issues[0]?.message ?? ''),
  );
  const ok = appFromTexts({ file: 'p', text: plat }, [
    { file: 's', text: 'service: x\nimage: x\nport: 1\nroutes: [{ host: "${service}.${env}.internal" }]\n' },
  ]);
  assert.equal(resolveWorkload(ok, 'x', 'bare', '1').routes[0]?.host, 'x.bare.internal');
});

test('listWorkloads: sorted, only services that run in the environment', () => {
  const a = appFromTexts({ file: 'p', text: PLATFORM }, [
    { file: 'b', text: 'service: b\nimage: b\nenvironments: { prod: null }\n' },
    { file: 'a', text: 'service: a\nimage: a\n' },
  ]);
  assert.deepEqual(
    listWorkloads(a, 'test', '1').map((w) => w.service),
    ['a'],
  );
  assert.deepEqual(
    listWorkloads(a, 'prod', '1').map((w) => w.service),
    ['a', 'b'],
  );
  assert.deepEqual(
    listWorkloads(a, 'prod', '1', ['b']).map((w) => w.service),
    ['b'],
  );
  assert.equal(usage(() => listWorkloads(a, 'test', '1', ['b'])).code, 'E_NOT_IN_ENV');
  assert.equal(usage(() => listWorkloads(a, 'nope', '1')).code, 'E_UNKNOWN_ENV');
});

test('route hosts the API server would refuse are refused here, located, with the rewrite', () => {
  const plat = 'environments:\n  test: { domain: t.example.com }\n';
  const bad = (host: string) => {
    const a = appFromTexts({ file: 'p', text: plat }, [
      { file: 's', text: `service: x\nimage: x\nport: 1\nroutes: [{ host: "${host}" }]\n` },
    ]);
    try {
      resolveWorkload(a, 'x', 'test', '1');
    } catch (e) {
      if (e instanceof InvalidInputError)
        return e.issues.map((i) => `${i.path}: ${i.message} (${i.hint ?? ''})`);
      throw e;
    }
    return [];
  };
  assert.deepEqual(bad('https://api.staging.acme.io'), [
    'routes[0].host: "https://api.staging.acme.io" is a URL, not a host name (write api.staging.acme.io (the scheme follows the environment\'s TLS; paths go in path:))',
  ]);
  assert.deepEqual(bad('WWW.Acme.io'), [
    'routes[0].host: "WWW.Acme.io" has capitals: Kubernetes takes host names in lowercase (write www.acme.io)',
  ]);
  assert.deepEqual(bad('www_acme'), [
    'routes[0].host: "www_acme" is not a DNS name: "www_acme" (write www-acme: "_" is not allowed in host names)',
  ]);
  assert.deepEqual(bad('{service}.x.io'), [
    'routes[0].host: "{service}" is the old placeholder syntax (write ${service}, as in env values)',
  ]);
  assert.deepEqual(bad('${sevice}.x.io').length, 1);
  assert.deepEqual(bad('${service}.${domain}'), []);
  assert.deepEqual(bad('*.${domain}'), []);
});
