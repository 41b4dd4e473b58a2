// The built CLI (bin/ferry → dist/cli/main.js), as `npm test` leaves it after `npm run build`:
// the same exit codes and output as the tsx-run sources tested in src/cli/main.test.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function ferry(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'bin/ferry'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('bin/ferry runs the built CLI', () => {
  assert.ok(existsSync(join(root, 'dist/cli/main.js')), 'dist/cli/main.js missing: run npm run build first');
  const help = ferry('--help');
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /validate/);
  const ok = ferry('validate', '-C', 'examples/anna', '-o', 'json');
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal((JSON.parse(ok.stdout) as { ok: boolean }).ok, true);
  const bad = ferry('validate', '-C', 'examples/anna', '-o', 'xml');
  assert.equal(bad.code, 2);
});
