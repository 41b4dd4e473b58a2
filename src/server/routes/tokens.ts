// Tokens and the audit, for admins. A new token is shown once, in the answer to its creation;
// only its hash is stored.
import { httpError } from '../errors.ts';
import type { Principal } from '../auth.ts';
import { route, type Route } from '../route.ts';
import { auditQuery, tokenBody, tokenParams } from '../schemas.ts';
import { createToken } from '../token-admin.ts';
import { tokenView } from '../views.ts';

export const tokenRoutes: Route[] = [
  route({
    method: 'GET',
    path: '/api/v1/tokens',
    summary: 'Every token: name, role, environments, expiry, last use (never the token).',
    tag: 'admin',
    access: { kind: 'token', role: 'admin' },
    status: 200,
    async handler({ ctx }) {
      return { status: 200, body: { tokens: (await ctx.records.listTokens()).map(tokenView) } };
    },
  }),
  route({
    method: 'POST',
    path: '/api/v1/tokens',
    summary: 'Create a token; the answer holds it, once.',
    tag: 'admin',
    access: { kind: 'token', role: 'admin' },
    body: tokenBody,
    status: 201,
    async handler({ body, principal, ctx }) {
      const p = principal as Principal;
      const { token, record } = await createToken(ctx.records, {
        name: body.name,
        role: body.role,
        environments: body.environments ?? [],
        createdBy: p.actor,
        now: ctx.now(),
        ...(body.expiresInSeconds !== undefined ? { expiresInSeconds: body.expiresInSeconds } : {}),
      });
      return {
        status: 201,
        body: { token, ...tokenView(record) },
        audit: {
          detail: `token ${record.id} (${record.name}, ${record.role}${record.environments.length ? ` in ${record.environments.join(',')}` : ''})`,
        },
      };
    },
  }),
  route({
    method: 'DELETE',
    path: '/api/v1/tokens/{id}',
    summary: 'Revoke a token: every later call with it is 401.',
    tag: 'admin',
    access: { kind: 'token', role: 'admin' },
    params: tokenParams,
    status: 200,
    async handler({ params, ctx }) {
      if (!(await ctx.records.revokeToken(params.id, ctx.now())))
        throw httpError('E_NOT_FOUND', `no live token ${params.id}`);
      return { status: 200, body: { revoked: params.id }, audit: { detail: `token ${params.id} revoked` } };
    },
  }),
  route({
    method: 'GET',
    path: '/api/v1/audit',
    summary:
      'The audit: every mutating call and webhook, newest first (who, which token, what, from where, result).',
    tag: 'admin',
    access: { kind: 'token', role: 'admin' },
    query: auditQuery,
    status: 200,
    async handler({ query, ctx }) {
      const rows = await ctx.records.listAuditRecords({
        ...(query.actor ? { actor: query.actor } : {}),
        ...(query.service ? { service: query.service } : {}),
        ...(query.before ? { beforeAt: query.before } : {}),
        limit: query.limit ?? 100,
      });
      return {
        status: 200,
        body: {
          entries: rows.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
          next: rows.at(-1)?.at,
        },
      };
    },
  }),
  route({
    method: 'GET',
    path: '/api/v1/whoami',
    summary:
      'The caller: its token, role and environments (the dashboard shows only what the role may do; the API checks anyway).',
    tag: 'admin',
    access: { kind: 'token', role: 'viewer' },
    status: 200,
    async handler({ principal }) {
      const p = principal!;
      return {
        status: 200,
        body: { actor: p.actor, token: p.tokenId, role: p.role, environments: p.environments },
      };
    },
  }),
];
