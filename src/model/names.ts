// The one check of service and environment names against the app: every action and command refuses an
// unknown name the same way — E_UNKNOWN_ENV / E_UNKNOWN_SERVICE, exit 2, the message the model's
// resolve uses (`no environment named "prdo"`) and a hint with the closest name (as resolve's
// did-you-mean, src/manifest/suggest.ts) and the names there are:
//   error: no environment named "prdo" (did you mean "prod"? environments: test, prod)
import { usageError, type FerryError } from '../errors.ts';
import type { LoadedApp } from '../manifest/load.ts';
import { closest } from '../manifest/suggest.ts';

/** "did you mean "x"? <what>: a, b" — or only the list when no name is close. */
export function namesHint(word: string, names: readonly string[], what: string): string {
  const list = names.length === 0 ? `there are no ${what}` : `${what}: ${names.join(', ')}`;
  const c = closest(word, names);
  return c === undefined ? list : `did you mean "${c}"? ${list}`;
}

export function unknownEnvironment(env: string, names: readonly string[]): FerryError {
  return usageError('E_UNKNOWN_ENV', `no environment named "${env}"`, namesHint(env, names, 'environments'));
}

export function unknownService(service: string, names: readonly string[]): FerryError {
  return usageError(
    'E_UNKNOWN_SERVICE',
    `no service named "${service}"`,
    namesHint(service, names, 'services'),
  );
}

/** The environments of the platform file, in its order. */
export function environmentNames(app: LoadedApp): string[] {
  return Object.keys(app.platform.manifest.environments);
}

/** E_UNKNOWN_ENV unless the platform declares `env`. */
export function checkEnvironment(app: LoadedApp, env: string): void {
  const names = environmentNames(app);
  if (!names.includes(env)) throw unknownEnvironment(env, names);
}

/** E_UNKNOWN_SERVICE for the first of `services` that the app does not have. */
export function checkServices(app: LoadedApp, services: readonly string[]): void {
  const names = app.services.map((s) => s.name);
  for (const s of services) if (!names.includes(s)) throw unknownService(s, names);
}
