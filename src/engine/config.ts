// The engine's composition root: from settings (where state lives, the kubeconfig and context,
// a logger) build what every action needs — the store, a cluster per kube context, a clock, the
// process environment for ${VAR}s. The CLI and the server both build one here; per-run parts
// (who acts, how to stop, where progress goes) come with each run (context.ts).
// Nothing is opened until an action needs it: an action refuses bad input before the store or
// a cluster is touched, and a command that never talks to a cluster never loads its client.
import type { Cluster } from '../cluster/types.ts';
import type { Environment, Platform } from '../model/types.ts';
import { unknownEnvironment } from '../model/names.ts';
import type { KubernetesPlacement } from '../store/kubernetes/placement.ts';
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
  /** the project's platform: where the cluster store keeps each environment's history */
  platform?: Platform;
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
  /** an environment made at run time (a preview): the cluster store keeps its history in its namespace */
  place(environment: Environment): void;
  close(): Promise<void>;
}

/** The cluster store's placement: each environment's history in its namespace, in its cluster. */
export function kubernetesPlacement(
  environments: Map<string, Environment>,
  clusterFor: (context: string | undefined) => Cluster,
): KubernetesPlacement {
  return {
    locate(name) {
      const env = environments.get(name);
      if (!env) throw unknownEnvironment(name, [...environments.keys()]);
      return {
        cluster: clusterFor(env.context),
        namespace: env.namespace,
        createNamespace: env.createNamespace,
      };
    },
    environments: () => [...environments.keys()],
  };
}

/** The engine of one process. `clusterFor` may be given (tests: the test cluster). */
export function createEngine(
  settings: EngineSettings,
  opts: { clusterFor?: (context: string | undefined) => Cluster; store?: Store } = {},
): Engine {
  const log = settings.log ?? silentLogger;
  const location = storeLocation(
    settings.root,
    settings.env,
    settings.clusterCommand && settings.platform !== undefined,
  );
  let opening: Promise<Store> | undefined = opts.store ? Promise.resolve(opts.store) : undefined;
  const clusters = new Map<string, Cluster>();
  const environments = new Map((settings.platform?.environments ?? []).map((e) => [e.name, e]));
  let kube: typeof import('../cluster/kube.ts') | undefined;
  /** the cluster of a context, once the client is loaded */
  const clusterNow = (envContext: string | undefined): Cluster => {
    if (opts.clusterFor) return opts.clusterFor(envContext);
    const context = settings.context ?? settings.env.FERRY_CONTEXT ?? envContext;
    const key = `${settings.kubeconfig ?? ''}\u0000${context ?? ''}`;
    let c = clusters.get(key);
    if (!c) {
      if (!kube) throw new Error('the Kubernetes client is not loaded');
      c = new kube.KubeCluster({ kubeconfig: settings.kubeconfig, context });
      clusters.set(key, c);
    }
    return c;
  };
  // the Kubernetes client costs start-up time: loaded by the first action that needs it
  const loadKube = async () => {
    if (!opts.clusterFor) kube ??= await import('../cluster/kube.ts');
  };
  const openStore = async (): Promise<Store> => {
    const stranded = strandedLocalState(settings.root, location);
    if (stranded)
      log.warn(
        { file: stranded },
        'this project has a local history file that the cluster store does not read; move it with `ferry store migrate`, or set FERRY_STATE to keep using it',
      );
    if (location.kind !== 'kubernetes') return openSqlStore(location);
    await loadKube();
    const [{ Store }, { KubernetesDriver }] = await Promise.all([
      import('../store/store.ts'),
      import('../store/kubernetes/driver.ts'),
    ]);
    return new Store(new KubernetesDriver(kubernetesPlacement(environments, clusterNow)));
  };
  return {
    storeLocation: location,
    store: () => (opening ??= openStore()),
    clusterFor: async (envContext) => {
      await loadKube();
      return clusterNow(envContext);
    },
    now: settings.now ?? Date.now,
    env: settings.env,
    log,
    notify: settings.notify,
    place: (environment) => {
      environments.set(environment.name, environment);
    },
    close: async () => {
      if (opening && !opts.store) await (await opening).close();
    },
  };
}
