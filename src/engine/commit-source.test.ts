import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FerryError } from '../errors.ts';
import { commitSource } from './commit-source.ts';

// A real repository with three commits made at known times.
function repo(): { dir: string; shas: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-commit-'));
  const run = (args: string[], env: Record<string, string> = {}) =>
    execFileSync('git', ['-C', dir, ...args], {
      encoding: 'utf8',
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: dir, ...env },
    }).trim();
  run(['init', '-q', '-b', 'main']);
  const shas: string[] = [];
  for (const [i, t] of [1_000_000, 2_000_000, 3_000_000].entries()) {
    writeFileSync(join(dir, 'f'), String(i));
    run(['add', 'f']);
    const date = `@${t} +0000`;
    run(['-c', 'user.name=a', '-c', 'user.email=a@b', 'commit', '-q', '-m', `c${i}`], {
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    });
    shas.push(run(['rev-parse', 'HEAD']));
  }
  return { dir, shas };
}

test('the oldest commit after the last deployed one, or the commit itself', async (t) => {
  const { dir, shas } = repo();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const [first, second, third] = shas as [string, string, string];
  assert.deepEqual(await commitSource(dir, third, first), { commit: third, commitTime: 2_000_000_000 });
  assert.deepEqual(await commitSource(dir, third.slice(0, 8), undefined), {
    commit: third,
    commitTime: 3_000_000_000,
  });
  assert.deepEqual(await commitSource(dir, 'HEAD~1', 'not-a-commit'), {
    commit: second,
    commitTime: 2_000_000_000,
  });
});

test('a commit that is not in the repository is refused', async (t) => {
  const { dir } = repo();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await assert.rejects(
    commitSource(dir, 'deadbeef', undefined),
    (e: unknown) => e instanceof FerryError && e.code === 'E_GIT_COMMIT' && e.message.includes('deadbeef'),
  );
});
