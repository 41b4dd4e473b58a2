// ferry init's --port: a bad value is echoed as given, not as NaN; nothing is written.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
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
