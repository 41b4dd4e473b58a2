// Test kit: real git repositories on disk, made and changed by the tests.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FerryError } from '../../errors.ts';

const IDENTITY = {
  GIT_AUTHOR_NAME: 'Ferry Test',
  GIT_AUTHOR_EMAIL: 'test@ferry.invalid',
  GIT_COMMITTER_NAME: 'Ferry Test',
  GIT_COMMITTER_EMAIL: 'test@ferry.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

export interface TestRepo {
  /** the work tree */
  dir: string;
  /** file:// URL of the repository */
  url: string;
  git(...args: string[]): string;
  /** writes (or, with null, deletes) files and commits them; returns the new commit */
  commit(files: Record<string, string | null>, message?: string): string;
}

/** A temporary folder removed by `cleanup`. */
export function scratch(prefix: string, made: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function cleanup(made: string[]): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function makeRepo(dir: string, branch = 'main'): TestRepo {
  mkdirSync(dir, { recursive: true });
  const git = (...args: string[]): string =>
    execFileSync('git', ['-C', dir, ...args], {
      env: { ...process.env, ...IDENTITY },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  git('init', '--quiet', `--initial-branch=${branch}`);
  let n = 0;
  return {
    dir,
    url: `file://${dir}`,
    git,
    commit(files, message) {
      for (const [path, text] of Object.entries(files)) {
        const file = join(dir, path);
        if (text === null) {
          git('rm', '--quiet', path);
          continue;
        }
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, text);
        git('add', path);
      }
      git('commit', '--quiet', '--allow-empty', '-m', message ?? `change ${++n}`);
      return git('rev-parse', 'HEAD');
    },
  };
}

/** A service manifest with `instances` (to tell commits apart). */
export function serviceYaml(name: string, instances: number | string): string {
  return `service: ${name}\nimage: registry.example.com/${name}\nport: 8080\ninstances: ${instances}\n`;
}

/** The FerryError `p` rejects with (fails the test when it resolves or throws something else). */
export async function rejection(p: Promise<unknown>): Promise<FerryError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof FerryError) return err;
    throw err;
  }
  throw new Error('expected a FerryError');
}
