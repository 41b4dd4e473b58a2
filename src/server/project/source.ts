// Where the server reads the project: a ProjectSource loads the ferry files as of a ref — a local
// folder as it is, or a git repository at exactly the commit a request names.
import type { LoadedApp } from '../../manifest/load.ts';

export interface LoadedProject {
  app: LoadedApp;
  /** the commit the files were read at; undefined for a folder that is not a git work tree */
  commit: string | undefined;
  /** the ref as asked for, or what was used without one (the branch; for a folder, its branch,
   * "HEAD" when detached, or "working-tree" when it is not a git work tree) */
  ref: string;
}

export interface ProjectSource {
  /** The ferry files at `ref` (a branch, tag, or full or abbreviated commit); without one, the
   * newest commit of the configured branch (a folder: what is on disk). */
  load(ref?: string): Promise<LoadedProject>;
  /** For logs and status pages: what the project is, never its credentials. */
  describe(): string;
}
