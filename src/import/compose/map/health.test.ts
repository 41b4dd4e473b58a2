import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMappers } from '../testing.ts';
import { mapHealth } from './health.ts';
import { seconds } from './probe.ts';

test('healthcheck: CMD → exec form, CMD-SHELL → shell form, timings and retries', () => {
  const r = runMappers([mapHealth], {
    healthcheck: {
      test: ['CMD-SHELL', 'pg_isready', '-U', 'app'],
      interval: '15s',
      timeout: '5s',
      retries: 4,
      start_period: '1m30s',
    },
  });
  assert.deepEqual(r.m.health, {
    command: 'pg_isready -U app',
    period: '15s',
    timeout: '5s',
    startup: '1m30s',
    failureThreshold: 4,
  });
  assert.equal(r.at('healthcheck.start_period')?.outcome, 'approximated');
  const exec = runMappers([mapHealth], { healthcheck: { test: ['CMD', 'true'] } });
  assert.deepEqual(exec.m.health, { command: ['true'] });
});

test('healthcheck: disabled or NONE gives no probes; no test is dropped; Go durations read', () => {
  assert.equal(runMappers([mapHealth], { healthcheck: { disable: true } }).m.health, undefined);
  assert.equal(runMappers([mapHealth], { healthcheck: { test: ['NONE'] } }).m.health, undefined);
  assert.equal(
    runMappers([mapHealth], { healthcheck: { interval: '5s' } }).at('healthcheck')?.outcome,
    'dropped',
  );
  assert.equal(seconds('500ms'), '1s');
  assert.equal(seconds('1m30s'), '1m30s');
  assert.equal(seconds('soon'), undefined);
});
