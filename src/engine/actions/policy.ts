// Policy every edge gets by calling the engine, so none can skip it: a protected environment
// takes no deploy, rollback or promotion that the user did not confirm.
import { usageError } from '../../errors.ts';
import type { Environment } from '../../model/types.ts';
import type { ReleaseKind } from '../../store/types.ts';

export function requireConfirmation(env: Environment, confirmed: boolean, what: ReleaseKind): void {
  if (env.protected && !confirmed) {
    throw usageError(
      'E_PROTECTED',
      `environment "${env.name}" is protected`,
      `a ${what} there needs an explicit confirmation`,
    );
  }
}
