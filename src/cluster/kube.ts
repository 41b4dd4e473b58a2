// The Cluster interface over the API server's REST API (http.ts; kubeconfig.ts reads the
// kubeconfig as kubectl does). Decisions:
// - apply is server-side apply with field manager `ferry` and force=true: ferry is the source of
//   truth for the fields it renders, so a hand edit (kubectl edit/scale) of such a field is taken
//   back on the next deploy instead of blocking it with a conflict; fields ferry does not render
//   (e.g. replicas under an HPA, which the renderer omits) stay with their owners.
// - calls that cannot reach the API server are retried with backoff, then fail with
//   ClusterUnreachableError; API errors (4xx/5xx answers) fail at once, except 429/5xx which
//   retry. A server certificate that is not trusted is not retried (it will not change).
// - a kind the server does not serve is "absent" like a missing object: get → undefined,
//   list → [], delete → false; apply and create fail with a 404 ClusterApiError.
import { FerryError } from '../errors.ts';
import { ClusterApiError, ClusterUnreachableError } from './errors.ts';
import { Discovery, type Resource } from './discovery.ts';
import { HttpStatusError, Transport } from './http.ts';
import { resolveKubeTarget, type KubeconfigOptions } from './kubeconfig.ts';
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

export interface KubeOptions extends KubeconfigOptions {
  backoff?: Backoff;
}

/** TLS verification failures: the server is reachable and will present the same certificate again. */
const CERTIFICATE_ERRORS = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_SIGNATURE_FAILURE',
]);

function isTransient(e: unknown): boolean {
  if (e instanceof HttpStatusError) return e.status === 429 || e.status >= 500;
  if (e instanceof FerryError) return false; // a credential plugin or kubeconfig problem
  const code = (e as { code?: unknown }).code;
  return !(typeof code === 'string' && CERTIFICATE_ERRORS.has(code));
}

function statusOf(e: HttpStatusError): { message: string; reason: string } {
  try {
    const b = JSON.parse(e.body) as { message?: unknown; reason?: unknown };
    return {
      message: typeof b.message === 'string' ? b.message : e.message,
      reason: typeof b.reason === 'string' ? b.reason : '',
    };
  } catch {
    return { message: e.body.trim().slice(0, 200) || e.message, reason: '' };
  }
}

interface RawList {
  metadata?: { resourceVersion?: string };
  items: KObject[];
}

export class KubeCluster implements Cluster {
  readonly context: string;
  readonly server: string;
  /** the context's namespace: where a namespaced object without one goes */
  readonly namespace: string;
  private readonly http: Transport;
  private readonly discovery: Discovery;
  private readonly backoff: Backoff;

  constructor(opts: KubeOptions = {}) {
    const target = resolveKubeTarget(opts);
    this.context = target.context;
    this.server = target.server;
    this.namespace = target.namespace;
    this.http = new Transport(target);
    this.discovery = new Discovery((path) => this.http.request('GET', path));
    this.backoff = opts.backoff ?? defaultBackoff;
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await withRetry(fn, isTransient, this.backoff);
    } catch (e) {
      if (e instanceof HttpStatusError) {
        const { message, reason } = statusOf(e);
        throw new ClusterApiError(what, e.status, message, reason, e);
      }
      if (e instanceof FerryError) throw e;
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

  private async resource(apiVersion: string, kind: string): Promise<Resource> {
    const r = await this.discovery.resource(apiVersion, kind);
    if (!r) {
      throw new HttpStatusError(
        404,
        JSON.stringify({ message: `the server does not serve ${kind} (${apiVersion})`, reason: 'NotFound' }),
      );
    }
    return r;
  }

  /** The collection path of a kind (in a namespace, or across all of them when undefined). */
  private async collection(apiVersion: string, kind: string, namespace: string | undefined): Promise<string> {
    const r = await this.resource(apiVersion, kind);
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    return r.namespaced && namespace !== undefined
      ? `${base}/namespaces/${encodeURIComponent(namespace)}/${r.plural}`
      : `${base}/${r.plural}`;
  }

  private async objectPath(apiVersion: string, kind: string, name: string, namespace: string | undefined) {
    return `${await this.collection(apiVersion, kind, namespace ?? this.namespace)}/${encodeURIComponent(name)}`;
  }

  private async json<T>(
    method: string,
    path: string,
    opts: Parameters<Transport['request']>[2] = {},
  ): Promise<T> {
    return JSON.parse(await this.http.request(method, path, opts)) as T;
  }

  async apply(obj: KObject, opts: { dryRun?: boolean } = {}): Promise<KObject> {
    const body = { ...obj, metadata: { ...obj.metadata } };
    delete body.metadata.resourceVersion;
    return this.call(`apply ${obj.kind}/${obj.metadata.name}`, async () =>
      this.json<KObject>(
        'PATCH',
        await this.objectPath(obj.apiVersion, obj.kind, obj.metadata.name, obj.metadata.namespace),
        {
          query: { fieldManager: FIELD_MANAGER, force: 'true', dryRun: opts.dryRun ? 'All' : undefined },
          body: JSON.stringify(body),
          contentType: 'application/apply-patch+yaml',
        },
      ),
    );
  }

  async create(obj: KObject): Promise<KObject> {
    return this.call(`create ${obj.kind}/${obj.metadata.name}`, async () =>
      this.json<KObject>(
        'POST',
        await this.collection(obj.apiVersion, obj.kind, obj.metadata.namespace ?? this.namespace),
        { query: { fieldManager: FIELD_MANAGER }, body: JSON.stringify(obj) },
      ),
    );
  }

  async replace(obj: KObject): Promise<KObject> {
    return this.call(`replace ${obj.kind}/${obj.metadata.name}`, async () =>
      this.json<KObject>(
        'PUT',
        await this.objectPath(obj.apiVersion, obj.kind, obj.metadata.name, obj.metadata.namespace),
        { query: { fieldManager: FIELD_MANAGER }, body: JSON.stringify(obj) },
      ),
    );
  }

  async patch(ref: ObjectRef, ops: readonly JsonPatchOp[]): Promise<KObject> {
    return this.call(`patch ${ref.kind}/${ref.name}`, async () =>
      this.json<KObject>('PATCH', await this.objectPath(ref.apiVersion, ref.kind, ref.name, ref.namespace), {
        query: { fieldManager: FIELD_MANAGER },
        body: JSON.stringify(ops),
        contentType: 'application/json-patch+json',
      }),
    );
  }

  async serves(apiVersion: string, kind: string): Promise<boolean> {
    return this.call(`discover ${kind}`, () => this.discovery.serves(apiVersion, kind));
  }

  async get(ref: ObjectRef): Promise<KObject | undefined> {
    return this.callOr(
      `get ${ref.kind}/${ref.name}`,
      async () =>
        this.json<KObject>('GET', await this.objectPath(ref.apiVersion, ref.kind, ref.name, ref.namespace)),
      undefined,
    );
  }

  /** One unpaged list of a kind matching a label selector (the raw list, with its resourceVersion). */
  private async listRaw(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    labelSelector: string,
  ): Promise<RawList> {
    const list = await this.json<RawList>('GET', await this.collection(apiVersion, kind, namespace), {
      query: { labelSelector: labelSelector || undefined },
    });
    // list items carry no apiVersion/kind of their own
    list.items = (list.items ?? []).map((i) => ({ ...i, apiVersion, kind }));
    return list;
  }

  async list(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    labelSelector: string,
  ): Promise<KObject[]> {
    return this.callOr(
      `list ${kind}`,
      async () => (await this.listRaw(apiVersion, kind, namespace, labelSelector)).items,
      [],
    );
  }

  async watch(
    apiVersion: string,
    kind: string,
    namespace: string,
    labelSelector: string,
    onEvent: (e: WatchEvent) => void,
    onError: (err: Error) => void,
  ): Promise<WatchHandle> {
    // list first (gives ADDED for what exists and a resourceVersion), then watch from there
    const listed = await this.call(`list ${kind}`, () =>
      this.listRaw(apiVersion, kind, namespace, labelSelector),
    );
    for (const object of listed.items) onEvent({ type: 'ADDED', object });
    const path = await this.call(`watch ${kind}`, () => this.collection(apiVersion, kind, namespace));
    let stopped = false;
    const open: { stream?: { stop(): void } } = {};
    const end = (err: Error) => {
      if (stopped) return;
      stopped = true;
      open.stream?.stop();
      onError(err);
    };
    const stream = await this.call(`watch ${kind}`, () =>
      this.http.streamLines(
        path,
        {
          watch: '1',
          labelSelector: labelSelector || undefined,
          resourceVersion: listed.metadata?.resourceVersion,
          allowWatchBookmarks: 'false',
        },
        (line) => {
          if (stopped) return;
          let e: { type?: string; object?: KObject };
          try {
            e = JSON.parse(line) as typeof e;
          } catch {
            return end(new Error(`watch of ${kind}: the server sent a line that is not JSON`));
          }
          if (e.type === 'ADDED' || e.type === 'MODIFIED' || e.type === 'DELETED') {
            if (e.object) onEvent({ type: e.type, object: { ...e.object, apiVersion, kind } });
          } else if (e.type === 'ERROR') {
            const status = e.object as { message?: string } | undefined;
            end(new Error(`watch of ${kind}: ${status?.message ?? 'the server ended it'}`));
          }
        },
        (err) => end(err ?? new Error(`watch of ${kind} ended`)),
      ),
    );
    open.stream = stream;
    if (stopped) stream.stop();
    return {
      stop: () => {
        stopped = true;
        stream.stop();
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
        await this.http.request(
          'DELETE',
          await this.objectPath(ref.apiVersion, ref.kind, ref.name, ref.namespace),
          {
            query: { propagationPolicy: opts.propagation ?? 'Background' },
          },
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
      this.http.request(
        'GET',
        `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`,
        { query: { container: opts.container, tailLines: String(opts.tailLines ?? 20) } },
      ),
    );
  }

  async streamLogs(
    namespace: string,
    pod: string,
    opts: LogStreamOptions,
    onText: (text: string) => void,
  ): Promise<void> {
    const signal = opts.signal;
    if (signal?.aborted) return;
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`;
    const query = {
      container: opts.container,
      follow: opts.follow ? 'true' : undefined,
      sinceSeconds: opts.sinceSeconds === undefined ? undefined : String(opts.sinceSeconds),
      tailLines: opts.tailLines === undefined ? undefined : String(opts.tailLines),
    };
    await new Promise<void>((resolve, reject) => {
      let stream: { stop(): void } | undefined;
      const onAbort = () => {
        stream?.stop();
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (err?: Error) => {
        signal?.removeEventListener('abort', onAbort);
        if (err && !signal?.aborted) reject(err);
        else resolve();
      };
      // opening the stream is retried like any call; once it flows, an end is the log's end
      this.call(`logs ${pod}`, () =>
        this.http.stream(path, query, onText, (err) =>
          done(err && new ClusterUnreachableError(this.server, err)),
        ),
      ).then(
        (s) => {
          stream = s;
          if (signal?.aborted) s.stop();
        },
        (e: unknown) => done(e as Error),
      );
    });
  }

  async events(namespace: string, objectName?: string): Promise<ClusterEvent[]> {
    interface RawEvent {
      reason?: string;
      message?: string;
      type?: string;
      involvedObject?: { kind?: string; name?: string };
      lastTimestamp?: string;
      eventTime?: string;
      metadata?: { creationTimestamp?: string };
    }
    const got = await this.call('list events', () =>
      this.json<{ items?: RawEvent[] }>('GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`, {
        query: { fieldSelector: objectName ? `involvedObject.name=${objectName}` : undefined },
      }),
    );
    return (got.items ?? [])
      .map((e) => ({
        reason: e.reason ?? '',
        message: e.message ?? '',
        type: e.type ?? '',
        objectKind: e.involvedObject?.kind ?? '',
        objectName: e.involvedObject?.name ?? '',
        at: e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? new Date(0).toISOString(),
      }))
      .sort((a, b) => a.at.localeCompare(b.at));
  }

  /** Closes idle keep-alive connections (a long-lived process that is done with the cluster). */
  close(): void {
    this.http.close();
  }
}
