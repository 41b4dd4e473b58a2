// Kubernetes YAML → ferry manifests: not built yet. Detection recognises the format so the user
// gets a clear answer instead of "unknown format".
import { FerryError, ExitCode } from '../../errors.ts';
import type { ImportOptions, ImportResult } from '../types.ts';

export function importKubernetes(files: readonly string[], _opts: ImportOptions = {}): Promise<ImportResult> {
  return Promise.reject(
    new FerryError(
      'E_IMPORT_UNSUPPORTED',
      `importing Kubernetes YAML is not supported yet (${files.join(', ')})`,
      {
        exitCode: ExitCode.invalidInput,
        hint: 'write ferry.yaml by hand for services that already run on Kubernetes (see docs/import.md)',
      },
    ),
  );
}
