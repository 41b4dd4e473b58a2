// Opens the project a server configuration names: a local folder or a git repository.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { resolveProjectConfig, type ProjectConfig, type ResolvedProject } from './config.ts';
import { DirSource } from './dir-source.ts';
import { GitSource, type GitSourceOptions } from './git-source.ts';
import type { ProjectSource } from './source.ts';

/** Where git projects are cached by default: $XDG_CACHE_HOME/ferry/projects (~/.cache/…). */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env['XDG_CACHE_HOME'] || join(env['HOME'] || homedir(), '.cache');
  return join(base, 'ferry', 'projects');
}

export type OpenOptions = Partial<GitSourceOptions> & { reuseMs?: number };

/** The project source for a `project:` section (its ${VAR}s resolved from `env`). */
export function openProject(config: ProjectConfig | ResolvedProject, opts: OpenOptions = {}): ProjectSource {
  const env = opts.env ?? process.env;
  const resolved = 'kind' in config ? config : resolveProjectConfig(config, env);
  // a folder is read at most once a second: an edit is seen within that, and a page of the
  // dashboard does not read every manifest for each of its calls
  if (resolved.kind === 'dir') return new DirSource(resolved.dir, { env, reuseMs: opts.reuseMs ?? 1000 });
  return new GitSource(resolved.git, { ...opts, env, cacheDir: opts.cacheDir ?? defaultCacheDir(env) });
}
