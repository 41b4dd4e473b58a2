// `ferry diff <service>:<version> --env <env>`: what a deploy would change, against the LIVE
// cluster. The desired side is the API server's own answer to a server-side dry-run apply
// (defaults and admission included), so only real changes show. Secret values are redacted.
import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import type { Cluster, KObject } from '../cluster/types.ts';
import { refOf } from '../cluster/types.ts';
import { ClusterApiError } from '../cluster/errors.ts';
import type { LoadedApp } from '../manifest/load.ts';
import { pruneSelector } from '../render/kubernetes/labels.ts';
import { PRUNABLE_KINDS, selectorString } from './apply.ts';
import type { EngineDeps } from './context.ts';
import type { PodLabel } from './pod-labels.ts';
import { planWorkload } from './plan.ts';

export interface DiffOptions {
  service: string;
  environment: string;
  version: string;
  podLabels: readonly PodLabel[];
}

export interface ObjectChange {
  kind: string;
  name: string;
  action: 'create' | 'update' | 'delete' | 'unchanged' | 'unsupported';
  /** unified diff, live → ferry */
  diff: string;
}

const REDACTED = '<redacted>';

/** Drops what the server owns and redacts secret values. */
export function normalize(o: KObject): Record<string, unknown> {
  const { status: _status, ...rest } = structuredClone(o) as KObject & { status?: unknown };
  const serverOwned = new Set([
    'managedFields',
    'resourceVersion',
    'uid',
    'generation',
    'creationTimestamp',
    'selfLink',
  ]);
  const meta: Record<string, unknown> = Object.fromEntries(
    Object.entries(rest.metadata).filter(([k]) => !serverOwned.has(k)),
  );
  const noisy = new Set([
    'deployment.kubernetes.io/revision',
    'kubectl.kubernetes.io/last-applied-configuration',
  ]);
  const annotations = Object.entries(rest.metadata.annotations ?? {}).filter(([k]) => !noisy.has(k));
  if (annotations.length > 0) meta.annotations = Object.fromEntries(annotations);
  else delete meta.annotations;
  const out: Record<string, unknown> = { ...rest, metadata: meta };
  if (o.kind === 'Secret') {
    for (const field of ['data', 'stringData']) {
      const v = out[field];
      if (v && typeof v === 'object') {
        out[field] = Object.fromEntries(Object.keys(v).map((k) => [k, REDACTED]));
      }
    }
  }
  return out;
}

function yamlOf(o: Record<string, unknown> | undefined): string {
  return o === undefined ? '' : stringify(JSON.parse(JSON.stringify(o)), { sortMapEntries: true });
}

function patch(kind: string, name: string, before: string, after: string): string {
  return createTwoFilesPatch(
    `live/${kind}/${name}`,
    `ferry/${kind}/${name}`,
    before,
    after,
    undefined,
    undefined,
    {
      context: 3,
    },
  );
}

export class Diff {
  private readonly deps: Pick<EngineDeps, 'clusterFor'>;
  private readonly app: LoadedApp;
  readonly options: DiffOptions;

  constructor(deps: Pick<EngineDeps, 'clusterFor'>, app: LoadedApp, options: DiffOptions) {
    this.deps = deps;
    this.app = app;
    this.options = options;
  }

  async run(): Promise<ObjectChange[]> {
    const o = this.options;
    const plan = planWorkload(this.app, o.service, o.environment, o.version, o.podLabels);
    const cluster: Cluster = this.deps.clusterFor(plan.workload.environment.context);
    const ns = plan.workload.environment.namespace;
    const changes: ObjectChange[] = [];
    const nsLive = plan.namespace ? await cluster.get(refOf(plan.namespace)) : { metadata: {} };
    for (const desired of [...(plan.namespace ? [plan.namespace] : []), ...plan.objects]) {
      const { kind } = desired;
      const name = desired.metadata.name;
      if (!(await cluster.serves(desired.apiVersion, kind))) {
        changes.push({
          kind,
          name,
          action: 'unsupported',
          diff: `${desired.apiVersion} ${kind} is not served by the cluster\n`,
        });
        continue;
      }
      const live = await cluster.get(refOf(desired));
      let after: KObject;
      if (!nsLive && kind !== 'Namespace')
        after = desired; // the namespace does not exist yet: no dry-run possible
      else {
        try {
          after = await cluster.apply(desired, { dryRun: true });
        } catch (e) {
          if (e instanceof ClusterApiError && e.status === 404 && !live) after = desired;
          else throw e;
        }
      }
      const a = live ? yamlOf(normalize(live)) : '';
      const b = yamlOf(normalize(after));
      const action = !live ? 'create' : a === b ? 'unchanged' : 'update';
      changes.push({ kind, name, action, diff: action === 'unchanged' ? '' : patch(kind, name, a, b) });
    }
    const keep = new Set(plan.objects.map((x) => `${x.kind}/${x.metadata.name}`));
    const selector = selectorString(pruneSelector(o.service, o.environment));
    for (const k of PRUNABLE_KINDS) {
      if (!(await cluster.serves(k.apiVersion, k.kind))) continue;
      for (const live of await cluster.list(k.apiVersion, k.kind, ns, selector)) {
        if (keep.has(`${k.kind}/${live.metadata.name}`)) continue;
        changes.push({
          kind: k.kind,
          name: live.metadata.name,
          action: 'delete',
          diff: patch(k.kind, live.metadata.name, yamlOf(normalize({ ...live, kind: k.kind })), ''),
        });
      }
    }
    return changes;
  }
}
