// Where state lives, from FERRY_STATE: a `postgres://` URL (a team server), a file path or
// `sqlite:<path>` (one person, the demo), or `kubernetes` (release records and locks in the
// cluster each environment deploys to, shared by everyone who deploys there, as Helm does).
// Without FERRY_STATE: the cluster, for the commands that deploy to one; else the project's
// .ferry/state.db.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from './store.ts';
import type { StoreDriver } from './types.ts';

export type StoreLocation =
  { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string } | { kind: 'kubernetes' };

/** The project's embedded store file. */
export function localStatePath(root: string): string {
  return join(root, '.ferry', 'state.db');
}

export function parseStoreLocation(value: string): StoreLocation {
  if (/^postgres(ql)?:\/\//.test(value)) return { kind: 'postgres', url: value };
  if (value === 'kubernetes' || value === 'k8s') return { kind: 'kubernetes' };
  return { kind: 'sqlite', path: value.startsWith('sqlite:') ? value.slice('sqlite:'.length) : value };
}

/**
 * Where state lives for a command run in the project at `root`. `clusterDefault`: the command
 * talks to a cluster, so the cluster holds the history unless FERRY_STATE says otherwise.
 */
export function storeLocation(root: string, env: NodeJS.ProcessEnv, clusterDefault: boolean): StoreLocation {
  if (env.FERRY_STATE) return parseStoreLocation(env.FERRY_STATE);
  return clusterDefault ? { kind: 'kubernetes' } : { kind: 'sqlite', path: localStatePath(root) };
}

/** A history file left by an earlier ferry that the cluster store does not read, if any. */
export function strandedLocalState(root: string, location: StoreLocation): string | undefined {
  const file = localStatePath(root);
  return location.kind === 'kubernetes' && existsSync(file) ? file : undefined;
}

/** Opens and migrates a SQL store; the Kubernetes store is opened by its caller with a cluster. */
export async function openSqlStore(location: Exclude<StoreLocation, { kind: 'kubernetes' }>): Promise<Store> {
  let driver: StoreDriver;
  if (location.kind === 'postgres') {
    const { postgresDriver } = await import('./postgres.ts');
    driver = postgresDriver(location.url);
  } else {
    const { sqliteDriver } = await import('./sqlite.ts');
    driver = sqliteDriver(location.path);
  }
  await driver.migrate();
  return new Store(driver);
}

/** A SQL store at a FERRY_STATE-style value (tests, bench, `ferry store migrate`). */
export function openStore(value: string): Promise<Store> {
  const location = parseStoreLocation(value);
  if (location.kind === 'kubernetes') throw new Error('the Kubernetes store needs a cluster: use the engine');
  return openSqlStore(location);
}
