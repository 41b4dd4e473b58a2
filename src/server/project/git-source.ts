// A git repository as the project: a bare mirror in the cache, fetched with the git CLI; a ref is
// resolved to a commit and the ferry files are read at exactly that commit, from a folder of that
// commit's files kept in the cache. Concurrent loads of one commit share one fetch and one
// folder; a full sha already in the mirror needs no fetch at all.
import { createHash } from 'node:crypto';
import { isAbsolute, join, relative } from 'node:path';
import { FerryError } from '../../errors.ts';
import { loadApp, type LoadedApp } from '../../manifest/load.ts';
import type { GitProject } from './config.ts';
import { gitRunner } from './git.ts';
import { Mirror } from './mirror.ts';
import { checkRef, isFullSha } from './refs.ts';
import { relocateApp, relocateError } from './relocate.ts';
import type { LoadedProject, ProjectSource } from './source.ts';
import { DEFAULT_KEEP, projectBase, Trees } from './trees.ts';

export interface GitSourceOptions {
  /** the cache folder: repos/<key>.git (mirrors) and trees/<key>/<commit>… (per-commit files) */
  cacheDir: string;
  /** per-commit folders kept per repository (default 16) */
  keep?: number;
  env?: NodeJS.ProcessEnv;
  /** the git executable (default: git on PATH) */
  git?: string;
  /** milliseconds since the epoch; injectable for tests of the fetch interval */
  now?: () => number;
}

/** The cache key of a repository URL: readable and unique (`app-1a2b3c4d5e6f`). */
export function repoKey(url: string): string {
  const last =
    url
      .replace(/\.git$/, '')
      .split(/[/:]/)
      .filter(Boolean)
      .pop() ?? 'repo';
  const slug = last.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40) || 'repo';
  return `${slug}-${createHash('sha256').update(url).digest('hex').slice(0, 12)}`;
}

export class GitSource implements ProjectSource {
  readonly project: GitProject;
  readonly mirror: Mirror;
  private readonly trees: Trees;
  private readonly loading = new Map<string, Promise<LoadedApp>>();

  constructor(project: GitProject, opts: GitSourceOptions) {
    this.project = project;
    const key = repoKey(project.url);
    const git = gitRunner({
      ...(opts.env ? { env: opts.env } : {}),
      ...(opts.git ? { git: opts.git } : {}),
      ...(project.credentials ? { auth: { url: project.url, ...project.credentials } } : {}),
    });
    this.mirror = new Mirror(join(opts.cacheDir, 'repos', `${key}.git`), project.url, git, {
      ...(opts.now ? { now: opts.now } : {}),
    });
    this.trees = new Trees(join(opts.cacheDir, 'trees', key), this.mirror, opts.keep ?? DEFAULT_KEEP);
  }

  describe(): string {
    const p = this.project;
    return `git ${p.url} branch ${p.branch}${p.path ? ` path ${p.path}` : ''}`;
  }

  private notFound(ref: string): FerryError {
    return new FerryError('E_PROJECT_REF', `"${ref}" is not a branch, tag or commit of ${this.project.url}`, {
      hint: 'push it first, or name a branch, tag or commit the repository has',
    });
  }

  /** The commit `ref` names (the branch's newest without one), fetching only when needed. */
  async resolve(ref?: string): Promise<string> {
    const m = this.mirror;
    const interval = this.project.fetchInterval;
    if (ref === undefined) {
      await m.fresh(interval);
      const tip = await m.resolve(`refs/heads/${this.project.branch}`);
      if (!tip) throw this.notFound(this.project.branch);
      return tip;
    }
    checkRef(ref);
    const mark = m.mark();
    // a commit is immutable: one the mirror has (named by its full id) needs no fetch
    const known = isFullSha(ref) ? await m.resolve(ref) : undefined;
    if (known) return known;
    await m.fresh(interval);
    const found = await m.resolve(ref);
    if (found) return found;
    // new since the last fetch (a commit pushed a moment ago): fetch once more, unless a fetch
    // already ran since this request began
    await m.refetchSince(mark);
    const late = await m.resolve(ref);
    if (!late) throw this.notFound(ref);
    return late;
  }

  async load(ref?: string): Promise<LoadedProject> {
    const commit = await this.resolve(ref);
    let loading = this.loading.get(commit);
    if (!loading) {
      loading = this.loadCommit(commit).finally(() => this.loading.delete(commit));
      this.loading.set(commit, loading);
    }
    return { app: await loading, commit, ref: ref ?? this.project.branch };
  }

  private async loadCommit(commit: string): Promise<LoadedApp> {
    const path = this.project.path;
    const base = await projectBase(this.mirror, commit, path);
    const root = await this.trees.acquire(commit, base);
    try {
      const app = await loadApp(join(root, path));
      const outside = app.platform.file !== undefined && relative(root, app.platform.file).startsWith('..');
      if (outside || (app.platform.file !== undefined && isAbsolute(relative(root, app.platform.file)))) {
        throw new FerryError(
          'E_INTERNAL',
          `the project cache ${root} lies inside a folder holding ${app.platform.file}, which was read instead of the repository's files`,
          { hint: 'move the server cache out of any ferry project' },
        );
      }
      return relocateApp(root, app);
    } catch (err) {
      throw relocateError(root, err);
    } finally {
      this.trees.release(root);
    }
  }
}
