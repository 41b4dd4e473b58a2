// The cluster as the engine sees it: a narrow interface over a Kubernetes API. Only
// src/cluster/ talks to Kubernetes; engine code and tests depend on this interface.

/** Any Kubernetes object as JSON. Live objects carry status, uid, resourceVersion… */
export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    uid?: string;
    generation?: number;
    resourceVersion?: string;
    deletionTimestamp?: string;
    ownerReferences?: { kind: string; name: string; uid: string; controller?: boolean }[];
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

/** One operation of a JSON Patch (RFC 6902). */
export type JsonPatchOp =
  { op: 'remove'; path: string } | { op: 'test' | 'add' | 'replace'; path: string; value: unknown };

/** Names one object. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string | undefined;
}

export type WatchEvent = { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KObject };

export interface WatchHandle {
  stop(): void;
}

export interface LogStreamOptions {
  container: string;
  follow?: boolean;
  sinceSeconds?: number;
  tailLines?: number;
  signal?: AbortSignal;
}

export interface ClusterEvent {
  reason: string;
  message: string;
  type: string;
  objectKind: string;
  objectName: string;
  at: string;
}

export interface Cluster {
  /** the context name in use (for messages and records) */
  readonly context: string;
  /** server-side apply with field manager `ferry`; `dryRun` asks the API server to compute the result only */
  apply(obj: KObject, opts?: { dryRun?: boolean }): Promise<KObject>;
  /** creates the object; an object of that name that exists already is a ClusterApiError with status 409 */
  create(obj: KObject): Promise<KObject>;
  /**
   * Replaces the object (PUT). With `metadata.resourceVersion` set this is a compare-and-set: a
   * newer version on the server is a ClusterApiError with status 409 (optimistic concurrency).
   */
  replace(obj: KObject): Promise<KObject>;
  /**
   * A JSON Patch (RFC 6902) as field manager `ferry`: a failed `test` operation is a
   * ClusterApiError with status 422, and nothing of the patch is applied.
   */
  patch(ref: ObjectRef, ops: readonly JsonPatchOp[]): Promise<KObject>;
  /** whether the API server serves this kind (a CRD such as PrometheusRule may not be installed) */
  serves(apiVersion: string, kind: string): Promise<boolean>;
  get(ref: ObjectRef): Promise<KObject | undefined>;
  list(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    labelSelector: string,
  ): Promise<KObject[]>;
  /**
   * Watches objects of one kind matching a label selector. `onEvent` first receives ADDED for
   * every existing object, then changes. `onError` is called once when the watch ends abnormally.
   */
  watch(
    apiVersion: string,
    kind: string,
    namespace: string,
    labelSelector: string,
    onEvent: (e: WatchEvent) => void,
    onError: (err: Error) => void,
  ): Promise<WatchHandle>;
  /** true when it was deleted, false when it did not exist */
  delete(ref: ObjectRef, opts?: { propagation?: 'Background' | 'Foreground' | 'Orphan' }): Promise<boolean>;
  podLogs(namespace: string, pod: string, opts?: { container?: string; tailLines?: number }): Promise<string>;
  /**
   * A container's log as it comes, chunk by chunk; with `follow` until the container ends or the
   * signal aborts. Resolves when the stream ends.
   */
  streamLogs(
    namespace: string,
    pod: string,
    opts: LogStreamOptions,
    onText: (text: string) => void,
  ): Promise<void>;
  events(namespace: string, objectName?: string): Promise<ClusterEvent[]>;
}

export function refOf(o: KObject): ObjectRef {
  return { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace };
}

export function formatRef(r: ObjectRef): string {
  return `${r.kind}/${r.name}${r.namespace ? ` -n ${r.namespace}` : ''}`;
}
