// preflight: before anything that is hard to take back (the database, the migration), ask the
// API server to validate the whole object set with a server-side dry-run — the release's objects,
// its migration Jobs and its check Jobs — so a host the API server refuses or a cron it cannot
// parse fails here, not at apply after the schema already moved. The environment's namespace is
// created here when ferry creates it (a dry-run needs it; an empty namespace changes nothing).
import { ClusterApiError } from '../../cluster/errors.ts';
import type { Cluster, KObject } from '../../cluster/types.ts';
import { refOf } from '../../cluster/types.ts';
import { FerryError } from '../../errors.ts';

export interface PreflightSet {
  namespace: string;
  /** the Namespace object when the environment asks ferry to create it */
  namespaceObject: KObject | undefined;
  objects: readonly KObject[];
  /** migration and check Jobs */
  jobs: readonly KObject[];
}

export class PreflightError extends FerryError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(
      'E_PREFLIGHT',
      `the API server refused ${problems.length} object${problems.length === 1 ? '' : 's'} (nothing was changed): ${problems.join('; ')}`,
    );
    this.name = 'PreflightError';
    this.problems = problems;
  }
}

export async function preflight(cluster: Cluster, set: PreflightSet): Promise<string> {
  const notes: string[] = [];
  const ns = await cluster.get({
    apiVersion: 'v1',
    kind: 'Namespace',
    name: set.namespace,
    namespace: undefined,
  });
  if (!ns) {
    if (!set.namespaceObject)
      throw new FerryError('E_PREFLIGHT', `namespace ${set.namespace} does not exist`, {
        hint: 'create it, or let ferry create it (the environment’s createNamespace)',
      });
    await cluster.apply(set.namespaceObject);
    notes.push(`created namespace ${set.namespace}`);
  }
  const problems: string[] = [];
  const skipped: string[] = [];
  let checked = 0;
  const served = new Map<string, boolean>();
  for (const o of [...set.objects, ...set.jobs]) {
    const kind = `${o.apiVersion}/${o.kind}`;
    if (!served.has(kind)) served.set(kind, await cluster.serves(o.apiVersion, o.kind));
    if (!served.get(kind)) {
      skipped.push(`${o.kind}/${o.metadata.name}`);
      continue;
    }
    // a Job of that name from an earlier run is replaced at run time; its template is immutable
    if (o.kind === 'Job' && (await cluster.get(refOf(o)))) continue;
    try {
      await cluster.apply(o, { dryRun: true });
      checked++;
    } catch (e) {
      if (e instanceof ClusterApiError && e.status >= 400 && e.status < 500) {
        problems.push(`${o.kind}/${o.metadata.name}: ${e.message.replace(/^apply [^:]+: /, '')}`);
      } else throw e;
    }
  }
  if (problems.length) throw new PreflightError(problems);
  notes.push(`the API server accepts all ${checked} objects (dry-run)`);
  if (skipped.length) notes.push(`not served by the cluster: ${skipped.join(', ')}`);
  return notes.join('; ');
}
