// Who calls, and what they may do. Every route but /healthz, /readyz and the webhooks (which
// verify signatures) needs `Authorization: Bearer <token>`. Roles: a viewer reads; a deployer
// deploys and rolls back in the environments its token lists (every unprotected one when it
// lists none); an admin does everything — tokens, the audit, and protected environments. A
// protected environment takes a deployer only when its token names it explicitly.
import type { Environment } from '../model/types.ts';
import type { Role, ServerStoreDriver, TokenRecord } from '../store/server-types.ts';
import { httpError } from './errors.ts';
import { tokenHash, wellFormed } from './tokens.ts';

export interface Principal {
  /** the token's name: the actor of what it does */
  actor: string;
  tokenId: string;
  role: Role;
  environments: readonly string[];
}

const rank: Record<Role, number> = { viewer: 0, deployer: 1, admin: 2 };

export function atLeast(p: Principal, role: Role): boolean {
  return rank[p.role] >= rank[role];
}

/** The caller of a request, from its Authorization header; 401 for anything but a live token. */
export async function authenticate(
  store: ServerStoreDriver,
  header: string | undefined,
  now: number,
  from: string | undefined,
): Promise<Principal> {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m)
    throw httpError(
      'E_UNAUTHENTICATED',
      'no token',
      'send Authorization: Bearer <token> (ferry token create)',
    );
  const token = m[1]!;
  if (!wellFormed(token))
    throw httpError('E_UNAUTHENTICATED', 'not a ferry token (its checksum does not match)');
  const t: TokenRecord | undefined = await store.tokenByHash(tokenHash(token));
  if (!t) throw httpError('E_UNAUTHENTICATED', 'unknown token');
  if (t.revokedAt !== undefined) throw httpError('E_UNAUTHENTICATED', `token ${t.id} was revoked`);
  if (t.expiresAt !== undefined && t.expiresAt <= now)
    throw httpError('E_UNAUTHENTICATED', `token ${t.id} expired`);
  // the last use is a hint for people, not a security record (the audit is): never block on it
  void store.touchToken(t.id, now, from).catch(() => undefined);
  return { actor: t.name, tokenId: t.id, role: t.role, environments: t.environments };
}

export function requireRole(p: Principal, role: Role): void {
  if (!atLeast(p, role))
    throw httpError(
      'E_FORBIDDEN',
      `token ${p.tokenId} (${p.role}) may not do this: it needs the ${role} role`,
    );
}

/** A deployer acting in `env`: allowed there by its token, and explicitly for a protected one. */
export function requireEnvironment(p: Principal, env: Environment): void {
  requireRole(p, 'deployer');
  if (p.role === 'admin') return;
  const listed = p.environments.includes(env.name);
  if (listed) return;
  if (env.protected)
    throw httpError(
      'E_FORBIDDEN',
      `environment "${env.name}" is protected: token ${p.tokenId} does not name it`,
      'an admin token, or a deployer token created with --env including it',
    );
  if (p.environments.length > 0)
    throw httpError(
      'E_FORBIDDEN',
      `token ${p.tokenId} may deploy in ${p.environments.join(', ')}, not in "${env.name}"`,
    );
}
