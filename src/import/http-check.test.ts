import assert from 'node:assert/strict';
import { test } from 'node:test';
import { httpCheck } from './http-check.ts';

test('curl and wget of a local URL are HTTP probes on its port and path', () => {
  assert.deepEqual(httpCheck(['curl', '-f', 'http://localhost:8080/health']), {
    port: 8080,
    path: '/health',
  });
  assert.deepEqual(httpCheck('wget -q -O- http://127.0.0.1:4000/health'), { port: 4000, path: '/health' });
  assert.deepEqual(httpCheck('curl -fsS http://localhost/ || exit 1'), { port: 80, path: '/' });
  assert.deepEqual(httpCheck('wget --spider -q http://0.0.0.0:9000/ready'), { port: 9000, path: '/ready' });
  assert.deepEqual(httpCheck('wget -qO /dev/null http://localhost:3000/'), { port: 3000, path: '/' });
  assert.deepEqual(httpCheck(['/bin/sh', '-c', 'curl --fail --max-time 2 http://localhost:8000/healthz']), {
    port: 8000,
    path: '/healthz',
  });
});

test('anything else stays a command: other hosts, HTTPS, headers, pipes, other tools', () => {
  for (const c of [
    'curl -f http://db:5432/',
    'curl -f https://localhost/health',
    'curl -H "Host: x" http://localhost/',
    'curl -f http://localhost/health | grep ok',
    'curl -f http://localhost/health?full=1',
    'pg_isready -U app',
    'curl -f http://localhost/a http://localhost/b',
    'curl -f http://localhost/ || echo down',
  ])
    assert.equal(httpCheck(c), undefined, c);
});
