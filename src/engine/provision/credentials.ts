// Finding the password of a PostgreSQL role that exists already. ferry never changes the password
// of an existing role — another service (a Django API and its Celery worker on one database), a
// second environment or a preview on the same server may log in with it. So the role's
// credentials are shared: a service gets the password from the Secret of another ferry service
// that uses the same role on the same server (this namespace first, then any namespace this
// identity may read), checked by logging in. When none is found, the caller refuses.
import type { Cluster, KObject } from '../../cluster/types.ts';
import { LABEL_COMPONENT, LABEL_MANAGED_BY, MANAGED_BY } from '../../render/kubernetes/labels.ts';
import { FEATURE_SECRET_KEY } from '../../model/feature-secrets.ts';
import { canLogin, serverOf } from './postgres.ts';

export const DATABASE_COMPONENT = 'database';

/** The connection URL a database Secret holds (key `url`). */
export function secretUrl(secret: KObject): string | undefined {
  const data = secret.data as Record<string, string> | undefined;
  const string = secret.stringData as Record<string, string> | undefined;
  const encoded = data?.[FEATURE_SECRET_KEY];
  return (
    string?.[FEATURE_SECRET_KEY] ?? (encoded ? Buffer.from(encoded, 'base64').toString('utf8') : undefined)
  );
}

/** The role's password in a connection URL, when the URL is for `role` on `server`. */
export function passwordFor(url: string, role: string, server: string): string | undefined {
  try {
    const u = new URL(url);
    if (decodeURIComponent(u.username) !== role || serverOf(url) !== server || !u.password) return undefined;
    return decodeURIComponent(u.password);
  } catch {
    return undefined;
  }
}

async function candidates(cluster: Cluster, namespace: string | undefined): Promise<KObject[]> {
  try {
    return await cluster.list(
      'v1',
      'Secret',
      namespace,
      `${LABEL_MANAGED_BY}=${MANAGED_BY},${LABEL_COMPONENT}=${DATABASE_COMPONENT}`,
    );
  } catch {
    return []; // not allowed to list there: look no further
  }
}

export interface FoundCredential {
  password: string;
  /** the Secret it came from, `namespace/name` */
  from: string;
}

/**
 * A working password for `role` on the server of `adminUrl`, from the Secrets of ferry services
 * that use it (own Secret first), or undefined.
 */
export async function findRolePassword(
  cluster: Cluster,
  namespace: string,
  adminUrl: string,
  role: string,
  own: KObject | undefined,
): Promise<FoundCredential | undefined> {
  const server = serverOf(adminUrl);
  const tried = new Set<string>();
  const login = (password: string) => {
    const u = new URL(adminUrl);
    u.username = encodeURIComponent(role);
    u.password = encodeURIComponent(password);
    return u.toString();
  };
  // own Secret, then this namespace, then every namespace this identity may list
  const sources: (() => Promise<KObject[]>)[] = [
    async () => (own ? [own] : []),
    () => candidates(cluster, namespace),
    () => candidates(cluster, undefined),
  ];
  for (const load of sources) {
    for (const s of await load()) {
      const url = secretUrl(s);
      const password = url && passwordFor(url, role, server);
      if (!password || tried.has(password)) continue;
      tried.add(password);
      if (await canLogin(login(password)))
        return { password, from: `${s.metadata.namespace ?? namespace}/${s.metadata.name}` };
    }
  }
  return undefined;
}
