// The engine's composition root: from settings (where state lives, the kubeconfig and context,
// a logger) build what every action needs — the store, a cluster per kube context, a clock, the
// process environment for ${VAR}s. The CLI and the server both build one here; per-run parts
// (who acts, how to stop, where progress goes) come with each run (context.ts).
// Nothing is opened until an action needs it: an action refuses bad input before the store or
// a cluster is touched, and a command that never talks to a cluster never loads its client.
import type { Cluster } from '../cluster/types.ts';
import { openSqlStore, storeLocation, strandedLocalState, type StoreLocation } from '../store/open.ts';
import type { Store } from '../store/store.ts';
import { silentLogger, type Logger } from './log.ts';
import type { SendOptions } from './notify/send.ts';

export interface EngineSettings {
  /** the project's folder: where a local state file lives */
  root: string;
  env: NodeJS.ProcessEnv;
  /** a kubeconfig file; default KUBECONFIG, then ~/.kube/config */
  kubeconfig?: string | undefined;
  /** one kube context for every environment, over each environment's own */
  context?: string | undefined;
  /** the command talks to a cluster: then the cluster keeps the history unless FERRY_STATE says otherwise */
  clusterCommand: boolean;
  log?: Logger;
  now?: () => number;
  notify?: SendOptions;
}

export interface Engine {
  /** the store, opened (and migrated) on first use */
  store(): Promise<Store>;
  /** where the store lives, as FERRY_STATE says or the default */
  readonly storeLocation: StoreLocation;
  /** the cluster of an environment, by its kube context (undefined = the kubeconfig's current one) */
  clusterFor(context: string | undefined): Promise<Cluster>;
  readonly now: () => number;
  readonly env: NodeJS.ProcessEnv;
  readonly log: Logger;
  readonly notify: SendOptions | undefined;
  close(): Promise<void>;
}

/** The engine of one process. `clusterFor` may be given (tests: the test cluster). */
export function createEngine(
  settings: EngineSettings,
  opts: { clusterFor?: (context: string | undefined) => Cluster; store?: Store } = {},
): Engine {
  const log = settings.log ?? silentLogger;
  const location = storeLocation(settings.root, settings.env, false);
  let opening: Promise<Store> | undefined = opts.store ? Promise.resolve(opts.store) : undefined;
  const clusters = new Map<string, Cluster>();
  return {
    storeLocation: location,
    store: () => {
      if (!opening) {
        const stranded = strandedLocalState(settings.root, location);
        if (stranded)
          log.warn(
            { file: stranded },
            'an earlier history file is not read: the cluster keeps the history now',
          );
        if (location.kind === 'kubernetes') throw new Error('kubernetes store: not wired yet');
        opening = openSqlStore(location);
      }
      return opening;
    },
    clusterFor: async (envContext) => {
      if (opts.clusterFor) return opts.clusterFor(envContext);
      const context = settings.context ?? settings.env.FERRY_CONTEXT ?? envContext;
      const key = `${settings.kubeconfig ?? ''}\u0000${context ?? ''}`;
      let c = clusters.get(key);
      if (!c) {
        // the Kubernetes client costs start-up time: loaded by the first action that needs it
        const { KubeCluster } = await import('../cluster/kube.ts');
        c = new KubeCluster({ kubeconfig: settings.kubeconfig, context });
        clusters.set(key, c);
      }
      return c;
    },
    now: settings.now ?? Date.now,
    env: settings.env,
    log,
    notify: settings.notify,
    close: async () => {
      if (opening && !opts.store) await (await opening).close();
    },
  };
}
