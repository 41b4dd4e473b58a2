import assert from 'node:assert/strict';
import { test } from 'node:test';
import { platformSchema } from '../manifest/schema.ts';
import { resolvePlatform } from './platform.ts';
import {
  applyPreviewOverrides,
  branchSlug,
  derivePreviewEnvironment,
  fillPreviewTemplate,
  previewNumber,
  previewRoutes,
  previewVersion,
} from './preview.ts';
import type { Workload } from './types.ts';

const pr = { number: 42, branch: 'Feature/Login_Page!', headSha: '0123456789abcdef0123456789abcdef01234567' };

const platform = () =>
  resolvePlatform(
    platformSchema.parse({
      environments: {
        stage: { namespace: 'stage', domain: 'stage.example.com', protected: true, approvals: 2 },
      },
      previews: {
        from: 'stage',
        overrides: { spot: true, resources: { cpu: '250m', memory: '256Mi' } },
        maxCount: 3,
      },
    }),
    undefined,
  );

test('templates: ${number}, ${branch_slug}, ${head_short_sha}; the slug is a DNS label part', () => {
  assert.equal(branchSlug('Feature/Login_Page!'), 'feature-login-page');
  assert.equal(branchSlug('-a'.repeat(40)).length <= 50, true);
  assert.doesNotMatch(branchSlug(`${'x'.repeat(49)}-y`), /-$/);
  assert.equal(fillPreviewTemplate('pr-${number}-${branch_slug}', pr), 'pr-42-feature-login-page');
  assert.equal(previewVersion(platform().previews!, pr), 'sha-0123456');
  assert.equal(previewNumber('pr-42'), 42);
  assert.equal(previewNumber('stage'), undefined);
});

test('the schema refuses the old {number} form and unknown placeholders, naming the field', () => {
  const old = platformSchema.safeParse({
    environments: { s: null },
    previews: { from: 's', namespace: 'pr-{number}' },
  });
  assert.equal(old.success, false);
  assert.deepEqual(old.error?.issues[0]?.path, ['previews', 'namespace']);
  assert.match(old.error?.issues[0]?.message ?? '', /old placeholder form/);
  const unknown = platformSchema.safeParse({
    environments: { s: null },
    previews: { from: 's', domain: '${sha}.x' },
  });
  assert.equal(unknown.success, false);
  assert.match(unknown.error?.issues[0]?.message ?? '', /\$\{number\}, \$\{branch_slug\}/);
});

test('defaults: pr-${number}, the from domain, 72h, 10 previews, one instance, sha-${head_short_sha}', () => {
  const p = resolvePlatform(
    platformSchema.parse({
      environments: { stage: { domain: 's.example.com' } },
      previews: { from: 'stage' },
    }),
    undefined,
  ).previews!;
  assert.equal(p.namespace, 'pr-${number}');
  assert.equal(p.domain, 'pr-${number}.s.example.com');
  assert.equal(p.ttlSeconds, 259200);
  assert.equal(p.maxCount, 10);
  assert.equal(p.label, undefined);
  assert.equal(p.forkLabel, 'preview');
  assert.equal(p.version, 'sha-${head_short_sha}');
  assert.equal(p.waitForVersion, true);
  assert.equal(p.tlsSecret, 'wildcard-stage-tls');
  assert.deepEqual(p.overrides, { instances: 1, spot: false, resources: {} });
});

test('the derived environment: own name, namespace, domain; never protected; ferry creates the namespace itself', () => {
  const env = derivePreviewEnvironment(platform(), pr);
  assert.equal(env.name, 'pr-42');
  assert.equal(env.namespace, 'pr-42');
  assert.equal(env.domain, 'pr-42.stage.example.com');
  assert.equal(env.protected, false);
  assert.equal(env.approvals, 0);
  assert.equal(env.createNamespace, false);
  assert.deepEqual(env.tls, { kind: 'wildcard', secretName: 'wildcard-stage-tls' });
  assert.equal(env.preview?.number, 42);
});

test('overrides: one instance, spot, capped resources, a database and role of its own', () => {
  const env = derivePreviewEnvironment(platform(), pr);
  const w = {
    environment: env,
    daemon: false,
    instances: 4,
    autoscale: { min: 2, max: 8 },
    resources: { cpuMillis: 1000, memoryBytes: 128 * 1024 ** 2 },
    placement: {
      spot: false,
      nodeSelector: { zone: 'a' },
      tolerations: [],
      required: [],
      preferred: [],
      spread: [],
      priorityClass: undefined,
    },
    policy: {
      spot: {
        nodeSelector: { pool: 'spot' },
        tolerations: [{ key: 'spot', operator: 'Exists', value: undefined, effect: 'NoSchedule' }],
      },
    },
    features: { postgres: { database: 'web', user: 'web', schema: 'public' }, mysql: undefined },
  } as unknown as Workload;
  const o = applyPreviewOverrides(w);
  assert.equal(o.instances, 1);
  assert.equal(o.autoscale, undefined);
  assert.deepEqual(o.resources, { cpuMillis: 250, memoryBytes: 128 * 1024 ** 2 });
  assert.equal(o.placement.spot, true);
  assert.deepEqual(o.placement.nodeSelector, { pool: 'spot', zone: 'a' });
  assert.equal(o.placement.tolerations.length, 1);
  assert.deepEqual(o.features.postgres, { database: 'web_pr_42', user: 'web_pr_42', schema: 'public' });
  const plain = { ...w, environment: { ...env, preview: undefined } } as Workload;
  assert.equal(applyPreviewOverrides(plain), plain);
});

test('a namespace template that gives no DNS label is refused with the pull request', () => {
  const p = platform();
  const bad = { ...p, previews: { ...p.previews!, namespace: 'PR_${number}' } };
  assert.throws(() => derivePreviewEnvironment(bad, pr), /previews\.namespace gives "PR_42"/);
});

test('previews.host: the default route host of a preview, so one wildcard certificate covers it', () => {
  const p = platform();
  const env = derivePreviewEnvironment(
    { ...p, previews: { ...p.previews!, host: '${service}-pr-${number}.stage.example.com' } },
    pr,
  );
  const routes = [
    { host: 'web.pr-42.stage.example.com', path: '/', public: true, allow: [], port: 'http' },
    { host: 'own.example.com', path: '/x', public: true, allow: [], port: 'http' },
  ];
  assert.deepEqual(
    previewRoutes(routes, 'web', env).map((r) => r.host),
    ['web-pr-42.stage.example.com', 'own.example.com'],
  );
  assert.deepEqual(previewRoutes(routes, 'web', derivePreviewEnvironment(p, pr)), routes);
});

test("backing services: a preview runs from's by default; previews.backingServices runs its own (or none)", () => {
  const derived = (stage: Record<string, unknown>, previews: Record<string, unknown> = {}) =>
    derivePreviewEnvironment(
      resolvePlatform(
        platformSchema.parse({ environments: { stage }, previews: { from: 'stage', ...previews } }),
        undefined,
      ),
      pr,
    ).backing;
  assert.equal(derived({}), undefined, 'managed, as stage');
  assert.deepEqual(derived({ backingServices: ['redis'] }), ['redis'], 'as stage');
  assert.deepEqual(derived({}, { backingServices: ['postgres'] }), ['postgres']);
  assert.deepEqual(derived({}, { backingServices: 'cluster' }), [
    'postgres',
    'mysql',
    'mongo',
    'redis',
    'rabbitmq',
    'kafka',
  ]);
  assert.equal(derived({ backingServices: 'cluster' }, { backingServices: 'managed' }), undefined);
  const bad = platformSchema.safeParse({
    environments: { stage: null },
    previews: { from: 'stage', backingServices: ['sqlite'] },
  });
  assert.equal(bad.success, false);
  assert.deepEqual(bad.error?.issues[0]?.path.slice(0, 2), ['previews', 'backingServices']);
});
