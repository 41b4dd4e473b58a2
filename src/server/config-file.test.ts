import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { InvalidInputError } from '../errors.ts';
import { parseServerConfig } from './config-file.ts';

test('a server configuration: the project and the optional listen, workers, grace', () => {
  const c = parseServerConfig(
    'project:\n  git: { url: https://git.example.com/p.git, branch: main }\nlisten: 0.0.0.0:7070\nworkers: 8\ngrace: 2m\n',
    'server.yaml',
  );
  assert.deepEqual(c, {
    project: { git: { url: 'https://git.example.com/p.git', branch: 'main' } },
    listen: '0.0.0.0:7070',
    workers: 8,
    grace: '2m',
  });
});

test('its problems are located file:line:col, an unknown key with did-you-mean', () => {
  assert.throws(
    () => parseServerConfig('project:\n  dir: /srv/p\nworkrs: 2\ngrace: soon\n', 'server.yaml'),
    (e: unknown) => {
      assert.ok(e instanceof InvalidInputError);
      const byPath = Object.fromEntries(e.issues.map((i) => [i.path, i]));
      assert.equal(byPath['workrs']?.loc?.line, 3);
      assert.match(byPath['workrs']?.hint ?? byPath['workrs']?.message ?? '', /workers/);
      assert.equal(byPath['grace']?.loc?.line, 4);
      return true;
    },
  );
  assert.throws(
    () => parseServerConfig('listen: :7070\n', 's.yaml'),
    (e: unknown) => e instanceof InvalidInputError && e.issues.some((i) => i.path === 'project'),
  );
});

test("deploy/ferry's server.yaml (a file of its manifest) is a valid configuration", () => {
  const manifest = parse(readFileSync(new URL('../../deploy/ferry/ferry.yaml', import.meta.url), 'utf8')) as {
    files: { path: string; content: string }[];
  };
  const file = manifest.files.find((f) => f.path === '/etc/ferry/server.yaml')!;
  const c = parseServerConfig(file.content, 'server.yaml');
  assert.ok('git' in c.project && c.project.git.credentials?.token === '${FERRY_GIT_TOKEN}');
});
