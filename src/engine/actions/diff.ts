// What a deploy would change, against the LIVE cluster. The desired side is the API server's own
// answer to a server-side dry-run apply (defaults and admission included) minus the fields other
// managers added by hand (drift: a deploy takes them back), so only real changes show — a
// `kubectl set env` shows as a change, not "unchanged". Without a version it compares the current
// manifests at the version that runs. Secret values are redacted.
import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import type { Cluster, KObject } from '../../cluster/types.ts';
import { refOf } from '../../cluster/types.ts';
import { ClusterApiError } from '../../cluster/errors.ts';
import { usageError } from '../../errors.ts';
import type { LoadedApp } from '../../manifest/load.ts';
import { LABEL_VERSION_FERRY, pruneSelector } from '../../render/kubernetes/labels.ts';
import { leftovers, selectorString } from '../apply.ts';
import type { Engine } from '../config.ts';
import { applyRemovals, findDrift, removalPatch } from '../drift.ts';
import type { PodLabel } from '../pod-labels.ts';
import { planWorkload } from '../plan.ts';
import { environmentOf, platformOf, serviceOf } from './environments.ts';

export interface DiffRequest {
  service: string;
  environment: string;
  /** default: the version that runs (else the last successful release's) */
  version?: string;
  podLabels?: readonly PodLabel[];
}

export interface DiffResult {
  version: string;
  changes: ObjectChange[];
}

export interface ObjectChange {
  kind: string;
  name: string;
  action: 'create' | 'update' | 'delete' | 'unchanged' | 'unsupported';
  /** unified diff, live → ferry */
  diff: string;
  /** fields another manager added or changed by hand, which a deploy takes back */
  drift: string[];
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
  private readonly engine: Engine;
  private readonly app: LoadedApp;

  constructor(engine: Engine, app: LoadedApp) {
    this.engine = engine;
    this.app = app;
  }

  /** The version a diff without one compares at: what runs, else the last successful release's. */
  private async currentVersion(o: DiffRequest, cluster: Cluster, namespace: string): Promise<string> {
    const live = await cluster.list(
      'apps/v1',
      'Deployment',
      namespace,
      selectorString(pruneSelector(o.service, o.environment)),
    );
    const running = live[0]?.metadata.labels?.[LABEL_VERSION_FERRY];
    if (running) return running;
    const last = await (await this.engine.store()).lastSuccessful(o.service, o.environment);
    if (last) return last.version;
    throw usageError(
      'E_VERSION',
      `${o.service} runs nowhere in ${o.environment} yet, so there is no current version to compare`,
      'name the version to compare (service:version)',
    );
  }

  async run(o: DiffRequest): Promise<DiffResult> {
    serviceOf(this.app, o.service);
    const env = environmentOf(this.app, o.environment);
    const cluster: Cluster = await this.engine.clusterFor(env.context);
    const version = o.version ?? (await this.currentVersion(o, cluster, env.namespace));
    const plan = planWorkload(this.app, o.service, o.environment, version, o.podLabels ?? []);
    const ignore = platformOf(this.app).policy.driftIgnore;
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
          drift: [],
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
      const drift = live ? findDrift(live, ignore) : [];
      // what the deploy leaves: the dry-run's merge, minus the fields it takes back
      if (drift.length) after = applyRemovals(after, removalPatch(after, findDrift(after, ignore)));
      const a = live ? yamlOf(normalize(live)) : '';
      const b = yamlOf(normalize(after));
      const action = !live ? 'create' : a === b ? 'unchanged' : 'update';
      changes.push({
        kind,
        name,
        action,
        diff: action === 'unchanged' ? '' : patch(kind, name, a, b),
        drift: drift.map((d) => `${d.display} (${d.manager})`),
      });
    }
    const kinds = await (await this.engine.store()).kindsApplied(o.service, o.environment);
    for (const live of await leftovers(
      cluster,
      o.service,
      o.environment,
      ns,
      plan.objects,
      kinds.size ? kinds : undefined,
    )) {
      changes.push({
        kind: live.kind,
        name: live.metadata.name,
        action: 'delete',
        diff: patch(live.kind, live.metadata.name, yamlOf(normalize(live)), ''),
        drift: [],
      });
    }
    return { version, changes };
  }
}
