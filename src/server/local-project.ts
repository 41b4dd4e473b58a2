// The project as a folder on the server's disk (`ferry server -C <dir>`): read afresh on every
// load, so an edit is seen by the next request. A ref cannot be honoured: it is refused.
import { loadApp } from '../manifest/load.ts';
import { usageError } from '../errors.ts';
import type { ProjectSource } from './context.ts';

export function localProject(dir: string): ProjectSource {
  return {
    async load(ref) {
      if (ref)
        throw usageError(
          'E_USAGE',
          `the server reads the project from ${dir}, not from git: a ref (${ref}) cannot be used`,
        );
      return { app: await loadApp(dir), commit: undefined, ref: 'local' };
    },
    describe: () => dir,
  };
}
