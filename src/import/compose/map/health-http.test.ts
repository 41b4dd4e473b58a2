import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMappers } from '../testing.ts';
import { mapHealth } from './health.ts';

test('a curl or wget health check of a local URL is an HTTP probe; its port is declared', () => {
  const r = runMappers(
    [mapHealth],
    { healthcheck: { test: ['CMD', 'curl', '-f', 'http://localhost:8080/health'] } },
    { manifest: { port: 8080 } },
  );
  assert.deepEqual(r.m.health, { path: '/health' });
  assert.equal(r.at('healthcheck.test')?.outcome, 'approximated');
  assert.match(r.at('healthcheck.test')?.note ?? '', /needs no curl/);
  const other = runMappers(
    [mapHealth],
    { healthcheck: { test: 'wget -q -O- http://127.0.0.1:4000/health || exit 1' } },
    { manifest: { port: 80 } },
  );
  assert.deepEqual(other.m.health, { path: '/health', port: 4000 });
  assert.deepEqual(other.m.ports, [{ port: 80 }, { port: 4000 }]);
  const exec = runMappers([mapHealth], {
    healthcheck: { test: ['CMD-SHELL', 'curl -f http://localhost/ | grep ok'] },
  });
  assert.deepEqual(exec.m.health, { command: 'curl -f http://localhost/ | grep ok' });
});
