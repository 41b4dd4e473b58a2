// Where a release's change came from, read from a git repository: the commit it deploys, and
// the time of the oldest commit of the change — the commits after the one the service's last
// successful release in the environment deployed (all of the commit's history when that one is
// unknown or not an ancestor: then the commit's own time, not the repository's first commit).
import { execFile } from 'node:child_process';
import { FerryError } from '../errors.ts';
import type { ReleaseSource } from '../store/types.ts';

function git(dir: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      ['-C', dir, ...args],
      { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C' } },
      (err, stdout, stderr) =>
        err ? reject(new Error(String(stderr).trim() || err.message)) : resolve(stdout),
    );
  });
}

/** The full id of `commit` in the repository at `dir` (E_GIT_COMMIT when it is not there). */
async function resolveCommit(dir: string, commit: string): Promise<string> {
  try {
    return (await git(dir, ['rev-parse', '--verify', '--quiet', `${commit}^{commit}`])).trim();
  } catch (e) {
    throw new FerryError('E_GIT_COMMIT', `commit ${commit} is not in the git repository at ${dir}`, {
      hint: 'name a commit of the repository the deploy runs in (a full or abbreviated id, or a ref)',
      cause: e,
    });
  }
}

async function isAncestor(dir: string, a: string, b: string): Promise<boolean> {
  try {
    await git(dir, ['merge-base', '--is-ancestor', a, b]);
    return true;
  } catch {
    return false;
  }
}

/** The source of a release deploying `commit`, after `previous` (the last deployed commit). */
export async function commitSource(
  dir: string,
  commit: string,
  previous: string | undefined,
): Promise<ReleaseSource> {
  const sha = await resolveCommit(dir, commit);
  const range =
    previous && previous !== sha && (await isAncestor(dir, previous, sha))
      ? [`${previous}..${sha}`]
      : ['-1', sha];
  const times = (await git(dir, ['log', '--format=%ct', ...range]))
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => Number(l) * 1000);
  const oldest = times.length ? Math.min(...times) : undefined;
  return { commit: sha, ...(oldest !== undefined ? { commitTime: oldest } : {}) };
}
