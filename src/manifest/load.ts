// Finds and loads the app: ferry.platform.yaml (walking up) and every service's ferry.yaml.
import type { Location } from '../errors.ts';
import type { PlatformManifest, ServiceManifest } from './schema.ts';

/** A key path into a parsed file: ['environments', 'prod', 'instances'] or ['crons', 0, 'schedule']. */
export type KeyPath = readonly (string | number)[];
/** Where a key path sits in its file (the nearest existing parent when the key is missing). */
export type Locate = (path: KeyPath) => Location | undefined;

export interface LoadedPlatform {
  /** absolute path, or undefined when a lone ferry.yaml is used with platform defaults */
  file: string | undefined;
  manifest: PlatformManifest;
  text: string;
  locate: Locate;
}

export interface LoadedService {
  name: string;
  /** absolute path of its ferry.yaml */
  file: string;
  manifest: ServiceManifest;
  text: string;
  locate: Locate;
}

export interface LoadedApp {
  platform: LoadedPlatform;
  /** sorted by name */
  services: readonly LoadedService[];
}

/** `from` is a directory or a file (ferry.yaml or ferry.platform.yaml). */
export async function loadApp(from: string): Promise<LoadedApp> {
  throw new Error(`not implemented yet: loadApp(${from})`);
}
