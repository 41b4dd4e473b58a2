// A local folder as the project (`ferry server -C <dir>`): loaded as it is on disk, uncommitted
// changes included; its commit (when it is a git work tree) is reported, and a request for any
// other commit is refused rather than answered with the wrong files.
import { resolve } from 'node:path';
import { FerryError } from '../../errors.ts';
import { loadApp } from '../../manifest/load.ts';
import { GitFailure, gitRunner, type GitRunner } from './git.ts';
import { checkRef } from './refs.ts';
import { relocateApp, relocateError } from './relocate.ts';
import type { LoadedProject, ProjectSource } from './source.ts';

async function revParse(git: GitRunner, dir: string, args: readonly string[]): Promise<string | undefined> {
  try {
    return (await git.run(['-C', dir, 'rev-parse', ...args])).trim() || undefined;
  } catch (err) {
    if (err instanceof GitFailure && err.status !== 'ENOENT') return undefined; // not a work tree, no such ref
    throw err;
  }
}

export class DirSource implements ProjectSource {
  readonly dir: string;
  private readonly git: GitRunner;

  /** a load this recent (ms) is answered again instead of reading every file (0: never) */
  private readonly reuseMs: number;
  private recent: { at: number; ref: string | undefined; loading: Promise<LoadedProject> } | undefined;

  private readonly now: () => number;

  constructor(dir: string, opts: { env?: NodeJS.ProcessEnv; reuseMs?: number; now?: () => number } = {}) {
    this.dir = resolve(dir);
    this.git = gitRunner(opts.env ? { env: opts.env } : {});
    this.reuseMs = opts.reuseMs ?? 0;
    this.now = opts.now ?? Date.now;
  }

  describe(): string {
    return `folder ${this.dir}`;
  }

  private async head(): Promise<{ commit: string | undefined; branch: string | undefined }> {
    let commit: string | undefined;
    try {
      commit = await revParse(this.git, this.dir, ['--verify', '--quiet', 'HEAD^{commit}']);
    } catch {
      return { commit: undefined, branch: undefined }; // no git on this machine: a plain folder
    }
    const branch = commit && (await revParse(this.git, this.dir, ['--abbrev-ref', 'HEAD']));
    return { commit, branch: branch && branch !== 'HEAD' ? branch : undefined };
  }

  /**
   * The folder's files now — or, with `reuseMs`, the load of at most that long ago for the same
   * ref (a server answering many reads a second does not read 500 files for each; an edit is
   * seen within `reuseMs`). A failed load is not reused.
   */
  load(ref?: string): Promise<LoadedProject> {
    const now = this.now();
    const r = this.recent;
    if (r && r.ref === ref && now - r.at < this.reuseMs) return r.loading;
    const loading = this.read(ref);
    if (this.reuseMs > 0) {
      const entry = { at: now, ref, loading };
      this.recent = entry;
      loading.catch(() => {
        if (this.recent === entry) this.recent = undefined;
      });
    }
    return loading;
  }

  private async read(ref?: string): Promise<LoadedProject> {
    const { commit, branch } = await this.head();
    if (ref !== undefined) {
      checkRef(ref);
      const asked =
        commit && (await revParse(this.git, this.dir, ['--verify', '--quiet', `${ref}^{commit}`]));
      if (!commit || asked !== commit) {
        const where = commit ? `checked out at ${commit.slice(0, 12)}` : 'not a git work tree';
        throw new FerryError(
          'E_PROJECT_LOCAL_REF',
          `the project is the folder ${this.dir} (${where}); it cannot read the ferry files of "${ref}"${asked ? ` (${asked.slice(0, 12)})` : ''}`,
          {
            hint: 'leave the ref out to use the folder as it is, or serve the project from its git repository',
          },
        );
      }
    }
    try {
      const app = relocateApp(this.dir, await loadApp(this.dir));
      return { app, commit, ref: ref ?? branch ?? (commit ? 'HEAD' : 'working-tree') };
    } catch (err) {
      throw relocateError(this.dir, err);
    }
  }
}
