// Properties over generated workloads: whatever names, versions and routes a valid manifest can
// hold, every rendered name and label is one Kubernetes accepts, and rendering is deterministic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { VERSION_PATTERN } from '../../model/resolve.ts';
import type { Cron, Route } from '../../model/types.ts';
import { testWorkload } from './fixture.ts';
import { renderKubernetes } from './index.ts';
import { checkJobName, migrationJobName } from './job.ts';
import type { KubeObject } from './object.ts';

const dnsLabel = fc.stringMatching(/^[a-z]([-a-z0-9]{0,40}[a-z0-9])?$/);
const version = fc
  .stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/)
  .filter((v) => VERSION_PATTERN.test(v));
const subdomain = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function cron(name: string): Cron {
  return {
    name,
    schedule: { cron: '0 * * * *', source: '0 * * * *', format: 'cron', timezone: undefined },
    command: { kind: 'shell', script: 'true' },
    concurrency: 'Forbid',
    startingDeadlineSeconds: 60,
    activeDeadlineSeconds: 60,
    resources: { cpuMillis: 100, memoryBytes: 64 * 1024 * 1024 },
    retries: 2,
  };
}

function checkObject(o: KubeObject): void {
  const max = o.kind === 'CronJob' ? 52 : 63;
  const nameRule = ['Service', 'CronJob', 'Namespace'].includes(o.kind) ? label : subdomain;
  assert.ok(o.metadata.name.length <= max, `${o.kind} name too long: ${o.metadata.name}`);
  assert.match(o.metadata.name, nameRule, `${o.kind} name ${o.metadata.name}`);
  for (const [k, v] of Object.entries(o.metadata.labels)) {
    assert.ok(v.length <= 63, `label ${k}=${v} too long`);
    assert.match(v, labelValue, `label ${k}=${v}`);
  }
}

test('every name and label value is valid for any service, cron, version and route', () => {
  fc.assert(
    fc.property(
      dnsLabel,
      fc.array(dnsLabel, { maxLength: 3 }),
      version,
      fc.array(
        fc.record({ public: fc.boolean(), allow: fc.array(fc.constantFrom('10.0.0.0/8', '192.168.0.0/16')) }),
        {
          maxLength: 4,
        },
      ),
      (service, crons, v, routes) => {
        const w = testWorkload({
          service,
          version: v,
          crons: [...new Set(crons)].map(cron),
          routes: routes.map((r, i): Route => ({
            host: `${service}.example.com`,
            path: `/p${i}`,
            public: r.public,
            allow: r.allow,
            port: 'http',
          })),
          migration: {
            command: { kind: 'shell', script: 'migrate' },
            down: { kind: 'shell', script: 'down' },
            timeoutSeconds: 60,
          },
          checks: [
            {
              name: 'smoke',
              kind: 'command',
              command: { kind: 'shell', script: 'true' },
              timeoutSeconds: 60,
            },
          ],
        });
        const r = renderKubernetes(w);
        for (const o of [...r.objects, r.migration!.up, r.migration!.down!, ...r.checks]) checkObject(o);
        const names = r.objects.map((o) => `${o.kind}/${o.metadata.name}`);
        assert.equal(new Set(names).size, names.length, `duplicate object names: ${names.join(' ')}`);
        assert.deepEqual(renderKubernetes(w), r);
      },
    ),
    { numRuns: 300 },
  );
});

test('different versions never share a migration or check Job name', () => {
  fc.assert(
    fc.property(dnsLabel, version, version, (service, a, b) => {
      fc.pre(a !== b);
      assert.notEqual(migrationJobName(service, a), migrationJobName(service, b));
      assert.notEqual(checkJobName(service, 'smoke', a), checkJobName(service, 'smoke', b));
    }),
    { numRuns: 500 },
  );
  assert.notEqual(migrationJobName('api', 'V1'), migrationJobName('api', 'v1'));
  assert.equal(migrationJobName('api', '1.4.2'), 'api-migrate-1.4.2');
});
