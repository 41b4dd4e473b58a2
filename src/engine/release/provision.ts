// The provision step: the databases the service's features need, before its migration runs.
// Features the environment runs in the cluster (backingServices) are started here first
// (backing.ts): their Secrets are the same the managed ones use, so nothing else changes.
// PostgreSQL: role, database and schema (idempotent), and the service's Secret with its
// connection URL. A role that exists keeps its password: the Secret gets the password other
// ferry services of that role use (credentials.ts), or the step refuses — it never breaks
// another service's access.
import type { Cluster, KObject } from '../../cluster/types.ts';
import { FerryError } from '../../errors.ts';
import { databaseSecretName } from '../../model/feature-secrets.ts';
import { backingFor } from '../../model/backing.ts';
import type { BackingFeature, Workload } from '../../model/types.ts';
import { LABEL_COMPONENT, pruneSelector } from '../../render/kubernetes/labels.ts';
import { DATABASE_COMPONENT, findRolePassword, secretUrl } from '../provision/credentials.ts';
import { ensureBacking } from './backing.ts';

function databaseSecret(name: string, namespace: string, w: Workload, url: string): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name,
      namespace,
      labels: { ...pruneSelector(w.service, w.environment.name), [LABEL_COMPONENT]: DATABASE_COMPONENT },
    },
    type: 'Opaque',
    stringData: { url },
  };
}

export async function provisionDatabases(
  cluster: Cluster,
  w: Workload,
  adminUrl: string | undefined,
): Promise<string> {
  const ns = w.environment.namespace;
  const done: string[] = [];
  const inCluster = backingFor(w);
  if (inCluster.length > 0) done.push(await ensureBacking(cluster, w.environment, inCluster));
  const managed = (f: BackingFeature) => !inCluster.some((i) => i.feature === f);
  const pg = managed('postgres') ? w.features.postgres : undefined;
  if (pg && adminUrl) {
    const secretName = databaseSecretName(w.service, 'postgres');
    const own = await cluster.get({ apiVersion: 'v1', kind: 'Secret', name: secretName, namespace: ns });
    // loaded only when needed: `pg` costs start-up time every deploy would pay otherwise
    const { describeProvision, provisionPostgres, roleExists, serviceDatabaseUrl, serverOf } =
      await import('../provision/postgres.ts');
    let password: string | undefined;
    let from: string | undefined;
    if (await roleExists(adminUrl, pg.user)) {
      const found = await findRolePassword(cluster, ns, adminUrl, pg.user, own);
      if (!found) {
        throw new FerryError(
          'E_DB_CREDENTIALS',
          `role ${pg.user} exists on ${serverOf(adminUrl)}, and no Secret ferry can read holds a password that logs in as it; ferry never changes the password of an existing role (another service may be using it)`,
          {
            hint: `give ${w.service} a role of its own (features.postgres.user), or create Secret ${secretName} in ${ns} with key url: a working connection URL for ${pg.user}`,
          },
        );
      }
      password = found.password;
      if (found.from !== `${ns}/${secretName}`) from = found.from;
    }
    const r = await provisionPostgres(adminUrl, pg, password ? { password } : {});
    const url = serviceDatabaseUrl(adminUrl, pg, r.password ?? password ?? '');
    const ownUrl = own && secretUrl(own);
    if (ownUrl !== url) {
      await cluster.apply(databaseSecret(secretName, ns, w, url));
      done.push(
        `Secret/${secretName} written${from ? ` (the credentials of role ${pg.user}, shared with ${from})` : ''}`,
      );
    }
    done.push(`postgres ${describeProvision(r)}`);
  } else if (pg) done.push('postgres: no database.admin for this environment, not provisioned');
  if (w.features.mysql && managed('mysql')) done.push('mysql: provisioning not supported yet');
  return done.join('; ') || 'nothing to provision';
}
