// What every action resolves from the project before it runs: the platform with its defaults,
// the environment a request names (or one derived from it, a preview), its kube context,
// notifiers and drift exceptions. Unknown names are refused here, before state is touched.
import type { LoadedApp } from '../../manifest/load.ts';
import { checkEnvironment, checkServices } from '../../model/names.ts';
import { resolvePlatform } from '../../model/platform.ts';
import type { Environment, Platform } from '../../model/types.ts';

const platforms = new WeakMap<LoadedApp, Platform>();

export function platformOf(app: LoadedApp): Platform {
  let p = platforms.get(app);
  if (!p) platforms.set(app, (p = resolvePlatform(app.platform.manifest, app.platform.file)));
  return p;
}

/** The environment `name` of the platform (E_UNKNOWN_ENV with the known names otherwise). */
export function environmentOf(app: LoadedApp, name: string): Environment {
  checkEnvironment(app, name);
  const env = platformOf(app).environments.find((e) => e.name === name);
  if (!env) throw new Error(`environment ${name} vanished from the platform`);
  return env;
}

/** Refuses a service the app does not have (E_UNKNOWN_SERVICE, with did-you-mean). */
export function serviceOf(app: LoadedApp, service: string): void {
  checkServices(app, [service]);
}
