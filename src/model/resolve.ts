// LoadedApp + service + environment + version → Workload, every default filled.
import type { LoadedApp } from '../manifest/load.ts';
import type { Workload } from './types.ts';

export function resolveWorkload(app: LoadedApp, service: string, env: string, version: string): Workload {
  throw new Error(`not implemented yet: ${app.services.length} ${service} ${env} ${version}`);
}

/** Every (selected) service that runs in `env`, sorted by service name. */
export function listWorkloads(
  app: LoadedApp,
  env: string,
  version: string,
  services?: readonly string[],
): Workload[] {
  throw new Error(
    `not implemented yet: ${app.services.length} ${env} ${version} ${services?.join(',') ?? ''}`,
  );
}
