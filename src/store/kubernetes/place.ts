// One environment's namespace as the store uses it: the calls on its cluster, with the namespace
// created on the first write when the platform allows it (else a clear error), and every API
// refusal other than a conflict or an absence turned into a ClusterStoreError naming the place.
import { ClusterApiError } from '../../cluster/errors.ts';
import type { Cluster, KObject, ObjectRef } from '../../cluster/types.ts';
import { update, type Decision, type LastSeen } from './cas.ts';
import { ClusterStoreError, NamespaceMissingError, isConflict, isNotFound } from './errors.ts';
import { LABEL_MANAGED_BY, MANAGED_BY } from './names.ts';
import type { KubernetesPlacement } from './placement.ts';

export class Place {
  readonly environment: string;
  readonly cluster: Cluster;
  readonly namespace: string;
  private readonly createNamespace: boolean;
  /** the namespace's creation, shared by every write that found it missing at the same time */
  private ensuring: Promise<void> | undefined;

  constructor(environment: string, cluster: Cluster, namespace: string, createNamespace: boolean) {
    this.environment = environment;
    this.cluster = cluster;
    this.namespace = namespace;
    this.createNamespace = createNamespace;
  }

  get where(): string {
    return `namespace ${this.namespace} (context ${this.cluster.context})`;
  }

  ref(apiVersion: string, kind: string, name: string): ObjectRef {
    return { apiVersion, kind, name, namespace: this.namespace };
  }

  /** `fn`, with refusals other than 409 (the caller's compare-and-set) and 404 named by place. */
  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      // unreachable clusters keep their own error; 409 and 404 are the caller's to read
      if (!(e instanceof ClusterApiError) || isConflict(e) || isNotFound(e)) throw e;
      throw new ClusterStoreError(what, this.where, e);
    }
  }

  get(apiVersion: string, kind: string, name: string): Promise<KObject | undefined> {
    return this.call(`read ${kind}/${name}`, () => this.cluster.get(this.ref(apiVersion, kind, name)));
  }

  list(apiVersion: string, kind: string, selector: string): Promise<KObject[]> {
    return this.call(`list ${kind}s`, () => this.cluster.list(apiVersion, kind, this.namespace, selector));
  }

  /** Creates `obj` in the namespace (a 409 when it exists reaches the caller). */
  async create(obj: KObject): Promise<KObject> {
    const body = { ...obj, metadata: { ...obj.metadata, namespace: this.namespace } };
    const what = `create ${obj.kind}/${obj.metadata.name}`;
    try {
      return await this.call(what, () => this.cluster.create(body));
    } catch (e) {
      // a create answered 404 names a namespace that does not exist (yet); writes racing on the
      // first one share one creation, then each is tried again once
      if (!isNotFound(e)) throw e;
      const ensuring = (this.ensuring ??= this.ensureNamespace());
      ensuring.catch(() => {
        if (this.ensuring === ensuring) this.ensuring = undefined;
      });
      await ensuring;
      return this.call(what, () => this.cluster.create(body));
    }
  }

  /** PUT; with metadata.resourceVersion a compare-and-set (409 when the object changed). */
  replace(obj: KObject): Promise<KObject> {
    return this.call(`update ${obj.kind}/${obj.metadata.name}`, () =>
      this.cluster.replace({ ...obj, metadata: { ...obj.metadata, namespace: this.namespace } }),
    );
  }

  /** A read-modify-write of one object with compare-and-set (see cas.ts). */
  update<T>(
    seen: LastSeen,
    ref: { apiVersion: string; kind: string; name: string },
    what: string,
    decide: (live: KObject | undefined) => Decision<T>,
  ): Promise<T> {
    return update(seen, {
      what,
      key: `${this.environment}\u0000${ref.kind}\u0000${ref.name}`,
      read: () => this.get(ref.apiVersion, ref.kind, ref.name),
      write: (obj, live) => (live ? this.replace(obj) : this.create(obj)),
      decide,
    });
  }

  delete(apiVersion: string, kind: string, name: string): Promise<boolean> {
    return this.call(`delete ${kind}/${name}`, () => this.cluster.delete(this.ref(apiVersion, kind, name)));
  }

  /** After a create answered 404: the namespace is missing. Create it (409: someone just did), or say so. */
  private async ensureNamespace(): Promise<void> {
    if (!this.createNamespace) {
      throw new NamespaceMissingError(this.environment, this.namespace, this.cluster.context);
    }
    try {
      await this.call('create its namespace', () =>
        this.cluster.create({
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: this.namespace, labels: { [LABEL_MANAGED_BY]: MANAGED_BY } },
        }),
      );
    } catch (e) {
      if (!isConflict(e)) throw e;
    }
  }
}

/** The places of a placement, one per environment, made once. */
export class Places {
  private readonly placement: KubernetesPlacement;
  private readonly made = new Map<string, Place>();

  constructor(placement: KubernetesPlacement) {
    this.placement = placement;
  }

  of(environment: string): Place {
    let p = this.made.get(environment);
    if (!p) {
      const at = this.placement.locate(environment);
      p = new Place(environment, at.cluster, at.namespace, at.createNamespace);
      this.made.set(environment, p);
    }
    return p;
  }

  /**
   * The places to read for a query over `environment` (one) or every environment: several
   * environments in one namespace of one cluster are read once (the selector tells them apart).
   */
  readable(environment: string | undefined): Place[] {
    if (environment !== undefined) return [this.of(environment)];
    const seen = new Map<Cluster, Set<string>>();
    const out: Place[] = [];
    for (const env of [...this.placement.environments()].sort()) {
      const p = this.of(env);
      let namespaces = seen.get(p.cluster);
      if (!namespaces) seen.set(p.cluster, (namespaces = new Set()));
      if (namespaces.has(p.namespace)) continue;
      namespaces.add(p.namespace);
      out.push(p);
    }
    return out;
  }
}
