// ferry init's --port: a bad value is echoed as given, not as NaN; nothing is written.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FerryError } from '../../errors.ts';
import { ferry, tempDir } from '../testing.ts';
import { parsePort } from './init.ts';

test('init --port abc: exit 2, the message echoes "abc", no file written', async () => {
  const d = tempDir('ferry-init-cli-');
  const r = await ferry('init', '-C', d, '--port', 'abc');
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--port abc is not a port number \(use 1 to 65535\)/);
  assert.doesNotMatch(r.stderr, /NaN/);
  assert.equal(existsSync(join(d, 'ferry.yaml')), false);
});

test('parsePort: decimal 1 to 65535; anything else is refused with the text as given', async () => {
  assert.equal(parsePort('8080'), 8080);
  assert.equal(parsePort('1'), 1);
  assert.equal(parsePort('65535'), 65535);
  for (const bad of ['abc', '', '0', '65536', '80.5', '0x50', ' 80', '-1', '1e3']) {
    assert.throws(
      () => parsePort(bad),
      (e: unknown) =>
        e instanceof FerryError && e.code === 'E_USAGE' && e.message === `--port ${bad} is not a port number`,
      bad,
    );
  }
});

test('init outside the ferry checkout points editors at the https schema URL, never a local path', async () => {
  const d = tempDir('ferry-init-url-');
  const r = await ferry('init', '-C', d);
  assert.equal(r.code, 0, r.stderr);
  for (const f of ['ferry.yaml', 'ferry.platform.yaml']) {
    const first = readFileSync(join(d, f), 'utf8').split('\n')[0]!;
    assert.match(
      first,
      /^# yaml-language-server: \$schema=https:\/\/ferry\.dev\/schema\/ferry(\.platform)?\.schema\.json$/,
    );
  }
});

test('monorepo: the platform file goes to the repository root, and the next service finds it', async () => {
  const d = tempDir('ferry-init-mono-', { '.git/HEAD': 'ref: refs/heads/main\n' });
  mkdirSync(join(d, 'services', 'web'), { recursive: true });
  mkdirSync(join(d, 'services', 'api'), { recursive: true });
  const web = await ferry('init', '-C', join(d, 'services', 'web'));
  assert.equal(web.code, 0, web.stderr);
  assert.match(web.stdout, /wrote .*services\/web\/ferry\.yaml/);
  assert.ok(existsSync(join(d, 'ferry.platform.yaml')));
  assert.equal(existsSync(join(d, 'services', 'web', 'ferry.platform.yaml')), false);
  assert.match(readFileSync(join(d, 'ferry.platform.yaml'), 'utf8'), /services: \['services\/web'\]/);
  const api = await ferry('init', '-C', join(d, 'services', 'api'), '-o', 'json');
  assert.equal(api.code, 0, api.stderr);
  const out = JSON.parse(api.stdout) as { written: string[]; notes: string[] };
  assert.equal(out.written.length, 1, 'no second platform file');
  assert.match(out.notes[0] ?? '', /does not list .*services\/api in services: add 'services\/api'/);
});

test('init in a project whose services: globs match nothing: it writes, says so, and notes what to add', async () => {
  const d = tempDir('ferry-init-glob-', {
    'ferry.platform.yaml': "services: ['apps/*']\nenvironments:\n  test: {}\n",
  });
  mkdirSync(join(d, 'services', 'api'), { recursive: true });
  const r = await ferry('init', '-C', join(d, 'services', 'api'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /wrote .*ferry\.yaml/);
  assert.match(r.stderr + r.stdout, /does not list .* add 'services\/api'/);
});
