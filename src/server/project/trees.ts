// The ferry files of one commit, written out of the mirror into a folder of their own
// (<trees>/<commit>[-<base hash>]/, the repository's layout kept), made once and reused: a folder
// only ever holds that commit's files. Only the subtree that holds the project is written (the
// folder of the nearest ferry.platform.yaml at or above the configured path). Old folders are
// removed, the most recently used ones kept.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join, posix } from 'node:path';
import { FerryError } from '../../errors.ts';
import { PLATFORM_FILE } from '../../manifest/load.ts';
import { GitFailure } from './git.ts';
import type { Mirror } from './mirror.ts';

/** Default number of per-commit folders kept per repository. */
export const DEFAULT_KEEP = 16;

/** `a/b/c` → ['a/b/c', 'a/b', 'a', ''] */
function selfAndAncestors(path: string): string[] {
  const out: string[] = [];
  for (let p = path; ; p = posix.dirname(p) === '.' ? '' : posix.dirname(p)) {
    out.push(p);
    if (p === '') return out;
  }
}

/**
 * The folder to write out for `path` at `commit`: the nearest folder at or above it holding a
 * ferry.platform.yaml (its services may sit anywhere below it), else `path` itself.
 */
export async function projectBase(mirror: Mirror, commit: string, path: string): Promise<string> {
  if (path !== '') {
    let type = '';
    try {
      type = (await mirror.read(['cat-file', '-t', `${commit}:${path}`])).trim();
    } catch (err) {
      if (!(err instanceof GitFailure)) throw err;
    }
    if (type !== 'tree') {
      throw new FerryError(
        'E_NOT_FOUND',
        `the project folder ${path} does not exist at commit ${commit.slice(0, 12)} of ${mirror.url}`,
        { hint: 'fix the project path in the server configuration, or name a commit that has it' },
      );
    }
  }
  const dirs = selfAndAncestors(path);
  const candidates = dirs.map((d) => (d === '' ? PLATFORM_FILE : `${d}/${PLATFORM_FILE}`));
  const listed = (await mirror.read(['ls-tree', '--full-tree', '--name-only', commit, '--', ...candidates]))
    .split('\n')
    .filter(Boolean);
  const found = dirs.find((_, i) => listed.includes(candidates[i]!));
  return found ?? path;
}

export class Trees {
  private readonly root: string;
  private readonly mirror: Mirror;
  private readonly keep: number;
  private readonly making = new Map<string, Promise<string>>();
  private readonly inUse = new Map<string, number>();

  constructor(root: string, mirror: Mirror, keep = DEFAULT_KEEP) {
    this.root = root;
    this.mirror = mirror;
    this.keep = keep;
  }

  private folderOf(commit: string, base: string): string {
    const suffix = base === '' ? '' : `-${createHash('sha256').update(base).digest('hex').slice(0, 8)}`;
    return join(this.root, `${commit}${suffix}`);
  }

  /**
   * The folder holding `base` of `commit` (as <folder>/<base>), made once. Held until `release`:
   * pruning never removes a folder in use.
   */
  async acquire(commit: string, base: string): Promise<string> {
    const dir = this.folderOf(commit, base);
    this.inUse.set(dir, (this.inUse.get(dir) ?? 0) + 1);
    try {
      if (existsSync(dir)) {
        const now = new Date();
        utimesSync(dir, now, now);
        return dir;
      }
      let made = this.making.get(dir);
      if (!made) {
        made = this.make(commit, base, dir).finally(() => this.making.delete(dir));
        this.making.set(dir, made);
      }
      await made;
      this.prune();
      return dir;
    } catch (err) {
      this.release(dir);
      throw err;
    }
  }

  release(dir: string): void {
    const n = (this.inUse.get(dir) ?? 1) - 1;
    if (n <= 0) this.inUse.delete(dir);
    else this.inUse.set(dir, n);
  }

  private async make(commit: string, base: string, dir: string): Promise<string> {
    mkdirSync(this.root, { recursive: true });
    const tmp = join(
      this.root,
      `.tmp-${commit.slice(0, 12)}-${process.pid}-${Math.random().toString(36).slice(2)}`,
    );
    const env = { GIT_INDEX_FILE: `${tmp}.index` };
    try {
      mkdirSync(tmp);
      const tree = base === '' ? [commit] : [`--prefix=${base}/`, `${commit}:${base}`];
      await this.mirror.read([`--work-tree=${tmp}`, 'read-tree', ...tree], env);
      // symlinks are written as plain files holding the link: a commit cannot point the server
      // at files outside its own folder
      await this.mirror.read(
        ['-c', 'core.symlinks=false', `--work-tree=${tmp}`, 'checkout-index', '-a', '-f'],
        env,
      );
      if (!existsSync(dir)) renameSync(tmp, dir);
      return dir;
    } catch (err) {
      throw this.mirror.failure(err);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
      rmSync(`${tmp}.index`, { force: true });
    }
  }

  /** Removes the least recently used folders beyond `keep`, never one in use, and what a
   * process that died while writing left behind (an hour old). */
  private prune(): void {
    let entries: { dir: string; used: number; tmp: boolean }[];
    try {
      entries = readdirSync(this.root, { withFileTypes: true }).map((e) => {
        const dir = join(this.root, e.name);
        return { dir, used: statSync(dir).mtimeMs, tmp: e.name.startsWith('.') };
      });
    } catch {
      return;
    }
    const stale = Date.now() - 3_600_000;
    for (const e of entries) if (e.tmp && e.used < stale) rmSync(e.dir, { recursive: true, force: true });
    entries = entries.filter((e) => !e.tmp);
    entries.sort((a, b) => b.used - a.used || (a.dir < b.dir ? -1 : 1));
    for (const e of entries.slice(this.keep)) {
      if (!this.inUse.has(e.dir)) rmSync(e.dir, { recursive: true, force: true });
    }
  }
}
