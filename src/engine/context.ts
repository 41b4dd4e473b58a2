// What every engine action gets injected (Helm's action.Configuration): the store, a way to
// reach the cluster of an environment, who is acting, where progress goes, a clock.
import { hostname, userInfo } from 'node:os';
import type { Cluster } from '../cluster/types.ts';
import type { Store } from '../store/store.ts';
import type { SendOptions } from './notify/send.ts';
import type { ProgressListener } from './steps.ts';

export interface EngineDeps {
  store: Store;
  /** the cluster of an environment, by its kube context (undefined = the kubeconfig's current one) */
  clusterFor(context: string | undefined): Cluster;
  /** user@host, or FERRY_ACTOR */
  actor: string;
  emit: ProgressListener;
  /** aborts the action (Ctrl-C): the release ends cancelled, the cluster is brought back */
  signal: AbortSignal;
  now: () => number;
  env: NodeJS.ProcessEnv;
  notify?: SendOptions;
}

export function defaultActor(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FERRY_ACTOR) return env.FERRY_ACTOR;
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    user = env.USER ?? 'unknown';
  }
  return `${user}@${hostname()}`;
}
