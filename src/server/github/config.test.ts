import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseServerConfig } from '../config-file.ts';
import { resolveGitHubConfig } from './config.ts';

test('github: in the server configuration, ${VAR}s read at start; the FERRY_GITHUB_* variables fill the rest', () => {
  const c = parseServerConfig(
    'project: { dir: . }\ngithub:\n  webhookSecret: ${HOOK_SECRET}\n  apiUrl: https://ghe.example.com/api/v3/\n',
    'server.yaml',
  );
  const s = resolveGitHubConfig(c.github, { HOOK_SECRET: 's3', FERRY_GITHUB_TOKEN: 'ghp_x' });
  assert.equal(s.webhookSecret, 's3');
  assert.equal(s.apiUrl, 'https://ghe.example.com/api/v3');
  assert.equal(s.token, 'ghp_x');
  const env = resolveGitHubConfig(undefined, { FERRY_GITHUB_WEBHOOK_SECRET: 'e' });
  assert.equal(env.webhookSecret, 'e');
  assert.equal(env.apiUrl, 'https://api.github.com');
  assert.throws(() => resolveGitHubConfig(c.github, {}), /github\.webhookSecret uses \$\{HOOK_SECRET\}/);
  assert.throws(
    () => parseServerConfig('project: { dir: . }\ngithub: { secret: x }\n', 'server.yaml'),
    (e: { issues?: { path: string; loc?: { line: number } }[] }) =>
      e.issues?.[0]?.path === 'github.secret' && e.issues[0].loc?.line === 2,
  );
});
