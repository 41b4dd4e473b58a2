import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMappers } from '../testing.ts';
import { mapHealth } from './health.ts';

test('the first HTTP check → health on its port index; timings; later checks dropped', () => {
  const r = runMappers(
    [mapHealth],
    {
      healthChecks: [
        {
          protocol: 'MESOS_HTTP',
          path: '/health',
          portIndex: 1,
          gracePeriodSeconds: 300,
          intervalSeconds: 20,
          timeoutSeconds: 5,
          maxConsecutiveFailures: 3,
        },
        { protocol: 'TCP' },
      ],
    },
    { ports: [{ port: 8080 }, { port: 9090 }] },
  );
  assert.deepEqual(r.m.health, {
    path: '/health',
    port: 9090,
    startup: '5m',
    period: '20s',
    timeout: '5s',
    failureThreshold: 3,
  });
  assert.equal(r.at('healthChecks[1]')?.outcome, 'dropped');
});

test('COMMAND checks are shell form ($HOST/$PORT noted); 0 failures is dropped', () => {
  const r = runMappers([mapHealth], {
    healthChecks: [
      { protocol: 'COMMAND', command: { value: 'curl -f http://$HOST:$PORT0/' }, maxConsecutiveFailures: 0 },
    ],
  });
  assert.deepEqual(r.m.health, { command: 'curl -f http://$HOST:$PORT0/' });
  assert.ok(r.entries.some((e) => /\$HOST\/\$PORT were set by Mesos/.test(e.note ?? '')));
  assert.equal(r.at('healthChecks[0].maxConsecutiveFailures')?.outcome, 'dropped');
});

test('a COMMAND check that curls a local URL is an HTTP probe; its port is declared', () => {
  const r = runMappers([mapHealth], {
    healthChecks: [{ protocol: 'COMMAND', command: { value: 'curl -f http://localhost:9000/health' } }],
  });
  assert.deepEqual(r.m.health, { path: '/health' });
  assert.equal(r.m.port, 9000);
  assert.equal(r.at('healthChecks[0].command')?.outcome, 'approximated');
});
