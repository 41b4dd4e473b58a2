import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { InvalidInputError } from '../errors.ts';
import { appFromTexts } from '../manifest/memory.ts';
import { checkApp } from './check.ts';

const PLATFORM = {
  file: '/p/ferry.platform.yaml',
  text: 'environments:\n  test: { domain: t.example.com }\n  prod: {}\n',
};

test('checkApp counts services, environments and workloads; reports each problem once', () => {
  const ok = appFromTexts(PLATFORM, [
    { file: '/a', text: 'service: a\nimage: a\nport: 80\n' },
    { file: '/b', text: 'service: b\nimage: b\nenvironments: { test: null }\n' },
  ]);
  assert.deepEqual(checkApp(ok), { services: 2, environments: 2, workloads: 3 });
  const bad = appFromTexts(PLATFORM, [
    { file: '/a', text: 'service: a\nimage: a\nresources: { memory: "512" }\n' },
  ]);
  assert.throws(
    () => checkApp(bad),
    (e: unknown) => e instanceof InvalidInputError && e.issues.length === 1 && e.issues[0]?.loc?.line === 3,
  );
});

// Valid-by-schema manifests with odd values: resolving them either works or yields located
// InvalidInputErrors — never a crash (RangeError, TypeError …).
const BASE: Record<string, unknown> = {
  service: 'svc',
  image: 'registry.example.com/svc',
  port: 8080,
  health: '/healthz',
  crons: [{ name: 'c', schedule: 'R//PT30M', command: 'x' }],
  routes: [{ path: '/' }],
  checks: [{ name: 'smoke', command: 'x' }],
};

const pools: Record<string, fc.Arbitrary<unknown>> = {
  port: fc.integer({ min: 1, max: 65535 }),
  instances: fc.integer({ min: 0, max: 1000 }),
  resources: fc.record(
    {
      cpu: fc.oneof(
        fc.constantFrom('500m', '0.5', '2', '0.0001', '0', '99999999999999999'),
        fc.double({ min: 1e-9, max: 1e6, noNaN: true }),
      ),
      memory: fc.constantFrom('512Mi', '1Gi', '0.5Ki', '512', '99999999999Ti', '1.5', '0Mi', '1k'),
    },
    { requiredKeys: [] },
  ),
  health: fc.oneof(
    fc.constantFrom('/', '/x'),
    fc.record(
      {
        path: fc.constantFrom('/a'),
        port: fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constantFrom('http', 'admin')),
        tcp: fc.boolean(),
        command: fc.constantFrom('true', ['a']),
        period: fc.constantFrom('0s', '1ms', '10s', '1h30m', '100000d'),
        timeout: fc.constantFrom('0s', '500ms', '2s'),
      },
      { requiredKeys: [] },
    ),
  ),
  env: fc.dictionary(
    fc.constantFrom('A', 'B', 'TOKEN'),
    fc.oneof(
      fc.constantFrom(
        '${service}',
        '${domain}',
        '${nope}',
        '$${x}',
        '${',
        'secret:s#k',
        'vault:a/b#c',
        '${ env }',
      ),
      fc.integer(),
      fc.boolean(),
      fc.string(),
    ),
  ),
  crons: fc.array(
    fc.record({
      name: fc.constantFrom('a', 'b'),
      schedule: fc.oneof(
        fc.constantFrom(
          'R//PT30M',
          'R//PT90M',
          '*/5 * * * *',
          '@daily',
          'R5//P1D',
          'R/2016-02-30T00:00:00Z/P1D',
          'R/2016-01-01T00:00:00+14:00/PT1H',
        ),
        fc.string(),
      ),
      command: fc.constant('x'),
      timezone: fc.constantFrom('UTC', 'Europe/London', 'Nowhere/Else', ''),
      deadline: fc.constantFrom('5m', '0s'),
    }),
    { maxLength: 3 },
  ),
  routes: fc.array(
    fc.record(
      {
        path: fc.constantFrom('/', '/api'),
        host: fc.constantFrom('${service}.x.com', 'h', 'Bad_Host'),
        port: fc.oneof(fc.integer(), fc.constantFrom('http', 'x')),
        public: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
    { maxLength: 2 },
  ),
  checks: fc.array(
    fc.record(
      {
        name: fc.constantFrom('a', 'b'),
        command: fc.constantFrom('x'),
        http: fc.constantFrom('/p', 'https://x/y'),
        expect: fc.integer({ min: 100, max: 599 }),
      },
      { requiredKeys: ['name'] },
    ),
    { maxLength: 2 },
  ),
  autoscale: fc.record({
    min: fc.integer({ min: 1, max: 10 }),
    max: fc.integer({ min: 1, max: 10 }),
    cpu: fc.constantFrom('0%', '70%', '999%'),
  }),
  alerts: fc.record(
    {
      replicas: fc.boolean(),
      errors5xx: fc.constantFrom('1%', '0.5%', '100%'),
      latencyP99: fc.constantFrom('500ms', '1h'),
    },
    { requiredKeys: [] },
  ),
  volumes: fc.array(
    fc.record({
      name: fc.constantFrom('data'),
      path: fc.constantFrom('/data'),
      size: fc.constantFrom('10Gi', '1', '0.5'),
    }),
    { maxLength: 2 },
  ),
  placement: fc.record(
    { spot: fc.boolean(), nodeSelector: fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }) },
    { requiredKeys: [] },
  ),
  image: fc.constantFrom('x', 'x:latest', 'localhost:5000/x', 'a/b@sha256:abc'),
};

test('fuzz: resolving odd but schema-valid manifests never crashes', () => {
  const keys = Object.keys(pools);
  const mutation = fc
    .constantFrom(...keys)
    .chain((k) => (pools[k] ?? fc.constant(null)).map((v) => [k, v] as const));
  const overlay = fc.option(fc.array(mutation, { maxLength: 3 }), { nil: undefined });
  fc.assert(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 5 }), overlay, (muts, over) => {
      const m: Record<string, unknown> = structuredClone(BASE);
      for (const [k, v] of muts) m[k] = v;
      if (over) m['environments'] = { test: Object.fromEntries(over), prod: null };
      let app;
      try {
        app = appFromTexts(PLATFORM, [{ file: '/s/ferry.yaml', text: stringify(m) }]);
      } catch (err) {
        assert.ok(err instanceof InvalidInputError, String(err));
        return;
      }
      try {
        checkApp(app);
      } catch (err) {
        assert.ok(
          err instanceof InvalidInputError,
          err instanceof Error ? (err.stack ?? err.message) : String(err),
        );
        for (const i of err.issues) assert.ok(i.loc, `unlocated: ${i.path} ${i.message}`);
      }
    }),
    { numRuns: 400 },
  );
});
