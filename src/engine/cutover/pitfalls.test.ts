import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveCutover } from '../../model/cutover.ts';
import { cutoverApp } from '../../model/cutover-testing.ts';
import { dnsTtl, uncoveredHosts } from './pitfalls.ts';
import { certFor } from './testing.ts';

test('a wildcard covers one label: *.example.com covers web.example.com, not a.b.example.com nor example.com', () => {
  const pem = certFor(['*.example.com']);
  assert.deepEqual(
    uncoveredHosts(pem, ['web.example.com', 'www.example.com', 'a.b.example.com', 'example.com']),
    ['a.b.example.com', 'example.com'],
  );
});

test('a DNS TTL above 300 s is a warning naming the host and its TTL', async () => {
  const long = resolveCutover(
    cutoverApp(
      'traefik',
      '    dns: { ttl: { web.example.com: 3600, www.example.com: 60, api.example.com: 300 } }\n',
    ),
    'prod',
  );
  const p = await dnsTtl(long);
  assert.equal(p.level, 'warning');
  assert.match(p.message, /^web\.example\.com has a TTL of 3600 s: /);
  const short = resolveCutover(
    cutoverApp(
      'traefik',
      '    dns: { ttl: { web.example.com: 300, www.example.com: 60, api.example.com: 30 } }\n',
    ),
    'prod',
  );
  assert.equal((await dnsTtl(short)).level, 'ok');
});
