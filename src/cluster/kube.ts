// The Cluster interface over @kubernetes/client-node. Decisions:
// - apply is server-side apply with field manager `ferry` and force=true: ferry is the source of
//   truth for the fields it renders, so a hand edit (kubectl edit/scale) of such a field is taken
//   back on the next deploy instead of blocking it with a conflict; fields ferry does not render
//   (e.g. replicas under an HPA, which the renderer omits) stay with their owners.
// - calls that cannot reach the API server are retried with backoff, then fail with
//   ClusterUnreachableError; API errors (4xx/5xx answers) fail at once, except 429/5xx which retry.
import {
  ApiException,
  CoreV1Api,
  HttpMethod,
  KubeConfig,
  KubernetesObjectApi,
  Log,
  PatchStrategy,
  Watch,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { Writable } from 'node:stream';
import { kindInfo } from '../kinds.ts';
import { ClusterApiError, ClusterUnreachableError, KubeconfigError } from './errors.ts';
import { defaultBackoff, withRetry, type Backoff } from './retry.ts';
import type {
  Cluster,
  ClusterEvent,
  JsonPatchOp,
  KObject,
  LogStreamOptions,
  ObjectRef,
  WatchEvent,
  WatchHandle,
} from './types.ts';

export const FIELD_MANAGER = 'ferry';

export interface KubeOptions {
  /** path of a kubeconfig; default KUBECONFIG, then ~/.kube/config */
  kubeconfig?: string | undefined;
  /** context name; default the kubeconfig's current context */
  context?: string | undefined;
  backoff?: Backoff;
}

/** Exposes what KubernetesObjectApi keeps protected: discovery (plural names for watch paths) and a JSON Patch body. */
class ObjectApi extends KubernetesObjectApi {
  async plural(apiVersion: string, kind: string): Promise<string | undefined> {
    return (await this.resource(apiVersion, kind))?.name;
  }

  /** PATCH with application/json-patch+json: the generic patch serializes an object, not an array of operations. */
  async jsonPatch(spec: KubernetesObject, ops: readonly JsonPatchOp[]): Promise<KubernetesObject> {
    const path = await this.specUriPath(spec, 'patch');
    const ctx = this.configuration.baseServer.makeRequestContext(path, HttpMethod.PATCH);
    ctx.setHeaderParam('Accept', 'application/json, */*;q=0.8');
    ctx.setHeaderParam('Content-Type', PatchStrategy.JsonPatch);
    ctx.setQueryParam('fieldManager', FIELD_MANAGER);
    ctx.setBody(JSON.stringify(ops));
    return this.requestPromise(ctx);
  }
}

function isTransient(e: unknown): boolean {
  if (e instanceof ApiException) return e.code === 429 || e.code >= 500;
  return true; // connection refused, reset, DNS, TLS: the server was not reached
}

function statusBody(e: ApiException<unknown>): { message: string; reason: string } {
  const body: unknown = typeof e.body === 'string' ? safeParse(e.body) : e.body;
  if (body && typeof body === 'object') {
    const b = body as { message?: unknown; reason?: unknown };
    return {
      message: typeof b.message === 'string' ? b.message : e.message,
      reason: typeof b.reason === 'string' ? b.reason : '',
    };
  }
  return { message: e.message, reason: '' };
}

/** The object a reference names, as the generic object API takes it. */
function refObject(ref: ObjectRef): KubernetesObject & { metadata: { name: string; namespace?: string } } {
  return {
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) },
  };
}

function safeParse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

export function loadKubeConfig(opts: KubeOptions): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
    else kc.loadFromDefault();
  } catch (e) {
    throw new KubeconfigError(
      `cannot read kubeconfig ${opts.kubeconfig ?? process.env.KUBECONFIG ?? '~/.kube/config'}`,
      e,
    );
  }
  if (opts.context) {
    if (!kc.getContexts().some((c) => c.name === opts.context)) {
      throw new KubeconfigError(
        `context "${opts.context}" not found; known: ${
          kc
            .getContexts()
            .map((c) => c.name)
            .join(', ') || 'none'
        }`,
      );
    }
    kc.setCurrentContext(opts.context);
  }
  if (!kc.getCurrentCluster()) throw new KubeconfigError('the kubeconfig has no current cluster');
  return kc;
}

export class KubeCluster implements Cluster {
  readonly context: string;
  readonly server: string;
  private readonly kc: KubeConfig;
  private readonly objects: ObjectApi;
  private readonly core: CoreV1Api;
  private readonly backoff: Backoff;

  constructor(opts: KubeOptions = {}) {
    this.kc = loadKubeConfig(opts);
    this.context = this.kc.getCurrentContext();
    this.server = this.kc.getCurrentCluster()?.server ?? '';
    this.objects = this.kc.makeApiClient(ObjectApi);
    this.core = this.kc.makeApiClient(CoreV1Api);
    this.backoff = opts.backoff ?? defaultBackoff;
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await withRetry(fn, isTransient, this.backoff);
    } catch (e) {
      if (e instanceof ApiException) {
        const { message, reason } = statusBody(e);
        throw new ClusterApiError(what, e.code, message, reason, e);
      }
      throw new ClusterUnreachableError(this.server, e);
    }
  }

  /** `call`, with `absent` when the server answers 404 (no such object, or a kind it does not serve). */
  private async callOr<T>(what: string, fn: () => Promise<T>, absent: T): Promise<T> {
    try {
      return await this.call(what, fn);
    } catch (e) {
      if (e instanceof ClusterApiError && e.status === 404) return absent;
      throw e;
    }
  }

  /** One page of every object of a kind matching a label selector (the raw list, with its resourceVersion). */
  private listRaw(apiVersion: string, kind: string, namespace: string | undefined, labelSelector: string) {
    return this.objects.list(
      apiVersion,
      kind,
      namespace,
      undefined,
      undefined,
      undefined,
      undefined,
      labelSelector,
    );
  }

  async apply(obj: KObject, opts: { dryRun?: boolean } = {}): Promise<KObject> {
    const body = { ...obj, metadata: { ...obj.metadata } } as KubernetesObject;
    delete body.metadata?.resourceVersion;
    return this.call(`apply ${obj.kind}/${obj.metadata.name}`, async () => {
      const got = await this.objects.patch(
        body,
        undefined,
        opts.dryRun ? 'All' : undefined,
        FIELD_MANAGER,
        true,
        PatchStrategy.ServerSideApply,
      );
      return got as unknown as KObject;
    });
  }

  async create(obj: KObject): Promise<KObject> {
    return this.call(
      `create ${obj.kind}/${obj.metadata.name}`,
      async () =>
        (await this.objects.create(
          obj as KubernetesObject,
          undefined,
          undefined,
          FIELD_MANAGER,
        )) as unknown as KObject,
    );
  }

  async replace(obj: KObject): Promise<KObject> {
    return this.call(
      `replace ${obj.kind}/${obj.metadata.name}`,
      async () =>
        (await this.objects.replace(
          obj as KubernetesObject,
          undefined,
          undefined,
          FIELD_MANAGER,
        )) as unknown as KObject,
    );
  }

  async patch(ref: ObjectRef, ops: readonly JsonPatchOp[]): Promise<KObject> {
    return this.call(
      `patch ${ref.kind}/${ref.name}`,
      async () => (await this.objects.jsonPatch(refObject(ref), ops)) as unknown as KObject,
    );
  }

  async serves(apiVersion: string, kind: string): Promise<boolean> {
    return this.callOr(
      `discover ${kind}`,
      async () => (await this.objects.plural(apiVersion, kind)) !== undefined,
      false,
    );
  }

  async get(ref: ObjectRef): Promise<KObject | undefined> {
    return this.callOr(
      `get ${ref.kind}/${ref.name}`,
      async () => (await this.objects.read(refObject(ref))) as unknown as KObject | undefined,
      undefined,
    );
  }

  async list(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    labelSelector: string,
  ): Promise<KObject[]> {
    // a kind the server does not serve (e.g. PrometheusRule without the operator) has no objects
    return this.callOr(
      `list ${kind}`,
      async () => {
        const got = await this.listRaw(apiVersion, kind, namespace, labelSelector);
        return got.items.map((i) => ({ apiVersion, kind, ...i }) as unknown as KObject);
      },
      [],
    );
  }

  private async path(apiVersion: string, kind: string, namespace: string): Promise<string> {
    const known = kindInfo(kind);
    const plural =
      (known?.apiVersion === apiVersion ? known.plural : undefined) ??
      (await this.call(`discover ${kind}`, () => this.objects.plural(apiVersion, kind)));
    if (!plural)
      throw new ClusterApiError(
        `watch ${kind}`,
        404,
        `the server does not serve ${kind}`,
        'NotFound',
        undefined,
      );
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    return `${base}/namespaces/${namespace}/${plural}`;
  }

  async watch(
    apiVersion: string,
    kind: string,
    namespace: string,
    labelSelector: string,
    onEvent: (e: WatchEvent) => void,
    onError: (err: Error) => void,
  ): Promise<WatchHandle> {
    const path = await this.path(apiVersion, kind, namespace);
    // list first (gives ADDED for what exists and a resourceVersion), then watch from there
    const listed = await this.call(`list ${kind}`, () =>
      this.listRaw(apiVersion, kind, namespace, labelSelector),
    );
    for (const i of listed.items)
      onEvent({ type: 'ADDED', object: { apiVersion, kind, ...i } as unknown as KObject });
    let stopped = false;
    const w = new Watch(this.kc);
    const ctl = await this.call(`watch ${kind}`, () =>
      w.watch(
        path,
        { labelSelector, resourceVersion: listed.metadata?.resourceVersion, allowWatchBookmarks: false },
        (type: string, obj: unknown) => {
          if (stopped) return;
          if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') {
            onEvent({ type, object: { apiVersion, kind, ...(obj as object) } as KObject });
          }
        },
        (err: unknown) => {
          if (stopped) return;
          stopped = true;
          onError(err instanceof Error ? err : new Error(`watch of ${kind} ended`));
        },
      ),
    );
    return {
      stop: () => {
        stopped = true;
        ctl.abort();
      },
    };
  }

  async delete(
    ref: ObjectRef,
    opts: { propagation?: 'Background' | 'Foreground' | 'Orphan' } = {},
  ): Promise<boolean> {
    return this.callOr(
      `delete ${ref.kind}/${ref.name}`,
      async () => {
        await this.objects.delete(
          refObject(ref),
          undefined,
          undefined,
          undefined,
          undefined,
          opts.propagation ?? 'Background',
        );
        return true;
      },
      false,
    );
  }

  async podLogs(
    namespace: string,
    pod: string,
    opts: { container?: string; tailLines?: number } = {},
  ): Promise<string> {
    return this.call(`logs ${pod}`, () =>
      this.core.readNamespacedPodLog({
        name: pod,
        namespace,
        ...(opts.container ? { container: opts.container } : {}),
        tailLines: opts.tailLines ?? 20,
      }),
    );
  }

  async streamLogs(
    namespace: string,
    pod: string,
    opts: LogStreamOptions,
    onText: (text: string) => void,
  ): Promise<void> {
    if (opts.signal?.aborted) return;
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        onText(chunk.toString('utf8'));
        done();
      },
    });
    await new Promise<void>((resolve, reject) => {
      let ctl: AbortController | undefined;
      const onAbort = () => {
        ctl?.abort();
        resolve();
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      new Log(this.kc)
        .log(
          namespace,
          pod,
          opts.container,
          sink,
          (err: unknown) => {
            opts.signal?.removeEventListener('abort', onAbort);
            if (err && !opts.signal?.aborted) reject(new ClusterUnreachableError(this.server, err));
            else resolve();
          },
          {
            follow: opts.follow ?? false,
            ...(opts.sinceSeconds !== undefined ? { sinceSeconds: opts.sinceSeconds } : {}),
            ...(opts.tailLines !== undefined ? { tailLines: opts.tailLines } : {}),
          },
        )
        .then(
          (c) => {
            ctl = c;
            if (opts.signal?.aborted) c.abort();
          },
          (e: unknown) =>
            reject(
              e instanceof ApiException
                ? new ClusterApiError(`logs ${pod}`, e.code, statusBody(e).message, statusBody(e).reason, e)
                : new ClusterUnreachableError(this.server, e),
            ),
        );
    });
  }

  async events(namespace: string, objectName?: string): Promise<ClusterEvent[]> {
    const got = await this.call('list events', () =>
      this.core.listNamespacedEvent({
        namespace,
        ...(objectName ? { fieldSelector: `involvedObject.name=${objectName}` } : {}),
      }),
    );
    return got.items
      .map((e) => ({
        reason: e.reason ?? '',
        message: e.message ?? '',
        type: e.type ?? '',
        objectKind: e.involvedObject.kind ?? '',
        objectName: e.involvedObject.name ?? '',
        at: (e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? new Date(0)).toString(),
      }))
      .sort((a, b) => a.at.localeCompare(b.at));
  }
}
