import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMappers } from '../testing.ts';
import { mapRoutes } from '../map/routes.ts';
import { mapLabels } from './index.ts';
import { parseKomposeExpose } from './rules.ts';

test('kompose.service.expose: "true" or host/path lists → internal routes', () => {
  assert.deepEqual(parseKomposeExpose('true'), [{ host: undefined, path: undefined }]);
  assert.deepEqual(parseKomposeExpose('a.com/dev, b.com'), [
    { host: 'a.com', path: '/dev' },
    { host: 'b.com', path: undefined },
  ]);
  const r = runMappers(
    [mapLabels, mapRoutes],
    {
      labels: {
        'kompose.service.expose': 'a.com/dev',
        'kompose.service.type': 'headless',
        'kompose.service.group': 'g',
      },
    },
    { manifest: { port: 80 } },
  );
  assert.deepEqual(r.m.routes, [{ host: 'a.com', path: '/dev' }]);
  assert.equal(r.at('labels["kompose.service.expose"]')?.outcome, 'mapped');
  assert.equal(r.at('labels["kompose.service.type"]')?.outcome, 'approximated');
  assert.equal(r.at('labels["kompose.service.group"]')?.outcome, 'dropped');
});

test('kompose liveness labels → health; a probe port that is not declared is added', () => {
  const r = runMappers(
    [mapLabels],
    {
      labels: {
        'kompose.service.healthcheck.liveness.http_get_path': 'health',
        'kompose.service.healthcheck.liveness.http_get_port': '8081',
        'kompose.service.healthcheck.liveness.interval': '20s',
        'kompose.service.healthcheck.liveness.retries': '5',
        'kompose.service.healthcheck.readiness.test': 'true',
        'kompose.service.healthcheck.startup.test': 'true',
      },
    },
    { manifest: { port: 80 } },
  );
  assert.deepEqual(r.m.health, { path: '/health', port: 8081, period: '20s', failureThreshold: 5 });
  assert.deepEqual(r.m.ports, [{ port: 80 }, { port: 8081 }]);
  assert.equal(r.at('labels["kompose.service.healthcheck.liveness.http_get_port"]')?.to, 'ports');
  assert.equal(r.at('labels["kompose.service.healthcheck.readiness.test"]')?.outcome, 'approximated');
  assert.equal(r.at('labels["kompose.service.healthcheck.startup.test"]')?.outcome, 'dropped');
});

test('kompose.cronjob labels → the service becomes one cron running its command', () => {
  const r = runMappers(
    [mapLabels],
    { labels: { 'kompose.cronjob.schedule': '*/5 * * * *', 'kompose.cronjob.concurrency_policy': 'Forbid' } },
    { manifest: { command: ['sh', '-c'], args: ['backup'], resources: { cpu: 1 } } },
  );
  assert.deepEqual(r.m.crons, [
    {
      name: 'web',
      schedule: '*/5 * * * *',
      command: ['sh', '-c', 'backup'],
      concurrency: 'forbid',
      resources: { cpu: 1 },
    },
  ]);
  assert.equal(r.m.instances, 0);
  assert.equal(r.m.command, undefined);
  assert.equal(r.m.resources, undefined);
});

test('a cron label without a command is dropped', () => {
  const r = runMappers([mapLabels], { labels: { 'kompose.cronjob.schedule': '@daily' } });
  assert.equal(r.m.crons, undefined);
  assert.equal(r.at('labels["kompose.cronjob.schedule"]')?.outcome, 'dropped', 'not mapped: no cron is made');
  assert.ok(r.entries.some((e) => e.outcome === 'dropped' && /needs a command/.test(e.note ?? '')));
});
