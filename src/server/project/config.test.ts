import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FerryError, InvalidInputError } from '../../errors.ts';
import { projectConfigSchema, resolveProjectConfig } from './config.ts';

const parse = (v: unknown) => projectConfigSchema.safeParse(v);

test('a folder or a git repository; credentials from ${VAR}s; defaults filled', () => {
  assert.deepEqual(
    resolveProjectConfig(projectConfigSchema.parse({ dir: '${APP}/deploy' }), { APP: '/srv/app' }),
    {
      kind: 'dir',
      dir: '/srv/app/deploy',
    },
  );
  const git = projectConfigSchema.parse({
    git: {
      url: 'https://git.example.com/team/app.git/',
      branch: 'main',
      path: './deploy/ferry/',
      credentials: { token: '${GIT_TOKEN}' },
      fetchInterval: '1m',
    },
  });
  assert.deepEqual(resolveProjectConfig(git, { GIT_TOKEN: 'tok-123' }), {
    kind: 'git',
    git: {
      url: 'https://git.example.com/team/app.git',
      branch: 'main',
      path: 'deploy/ferry',
      credentials: { username: 'x-access-token', password: 'tok-123' },
      fetchInterval: 60,
    },
  });
  const basic = resolveProjectConfig(
    projectConfigSchema.parse({
      git: { url: 'file:///srv/app', branch: 'release', credentials: { username: 'ci', password: '${PW}' } },
    }),
    { PW: 'pw' },
  );
  assert.deepEqual(basic.kind === 'git' && [basic.git.path, basic.git.credentials, basic.git.fetchInterval], [
    '',
    { username: 'ci', password: 'pw' },
    30,
  ]);
});

test('refused: credentials in the URL, other schemes, paths out of the repository, half credentials', () => {
  const bad: [unknown, RegExp][] = [
    [{ git: { url: 'https://me:secret@git.example.com/a.git', branch: 'main' } }, /holds credentials/],
    [{ git: { url: 'https://tok@git.example.com/a.git', branch: 'main' } }, /holds credentials/],
    [{ git: { url: 'git@github.com:a/b.git', branch: 'main' } }, /http:\/\/, https:\/\/ or file:\/\//],
    [{ git: { url: 'file:///a', branch: 'main', path: '../up' } }, /without/],
    [{ git: { url: 'file:///a', branch: 'main', credentials: { password: 'p' } } }, /needs a username/],
    [
      {
        git: { url: 'file:///a', branch: 'main', credentials: { token: 't', password: 'p', username: 'u' } },
      },
      /not both/,
    ],
    [{ git: { url: 'file:///a', branch: 'main', credentials: {} } }, /a token, or a username/],
    [{ git: { url: 'file:///a' } }, /./],
    [{ dir: '.', git: { url: 'file:///a', branch: 'main' } }, /./],
  ];
  for (const [value, message] of bad) {
    const r = parse(value);
    assert.ok(!r.success, JSON.stringify(value));
    assert.match(JSON.stringify(r.error.issues), message, JSON.stringify(value));
  }
});

test('a ${VAR} is checked after it is resolved; a missing one is named', () => {
  const cfg = projectConfigSchema.parse({
    git: { url: '${REPO}', branch: 'main', credentials: { token: '${T}' } },
  });
  const leaked = (() => {
    try {
      resolveProjectConfig(cfg, { REPO: 'https://u:p@h/x.git', T: 't' });
    } catch (err) {
      return err;
    }
  })();
  assert.ok(leaked instanceof InvalidInputError);
  assert.equal(leaked.issues[0]?.path, 'project.git.url');
  assert.ok(!leaked.issues[0]?.message.includes('u:p'), 'the message does not repeat the credentials');
  assert.throws(
    () =>
      resolveProjectConfig(projectConfigSchema.parse({ git: { url: 'file:///a', branch: '${B}' } }), {
        B: 'main~1',
      }),
    (e: unknown) => e instanceof InvalidInputError && e.issues[0]?.path === 'project.git.branch',
  );
  assert.throws(
    () => resolveProjectConfig(cfg, { REPO: 'https://h/x.git' }),
    (e: unknown) =>
      e instanceof FerryError &&
      e.code === 'E_MISSING_VARIABLE' &&
      /project\.git\.credentials\.token/.test(e.message),
  );
});
