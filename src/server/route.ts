// One route of the API, declared once: method, path, who may call it, the zod schemas of its
// parameters, body and answer, and its handler. The HTTP app (app.ts) and the OpenAPI document
// (openapi.ts) are both built from the same list, so a route cannot be served without its auth,
// nor documented differently from what it checks.
import type { z } from 'zod';
import type { Role } from '../store/server-types.ts';
import type { Principal } from './auth.ts';
import type { ServerContext } from './context.ts';

/** Who may call a route. */
export type Access =
  /** anyone (health probes) */
  | { kind: 'public' }
  /** a webhook: authenticated by its signature or hook token, in the handler */
  | { kind: 'signature' }
  /** a token with at least this role; `environment` names where it acts, for deployers */
  | { kind: 'token'; role: Role; environment?: 'body' | 'path' | 'request' };

export interface HandlerInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** undefined only on public and signature routes */
  principal: Principal | undefined;
  ctx: ServerContext;
  /** the raw request (webhooks read the exact bytes; SSE reads Last-Event-ID) */
  request: Request;
  /** the client's address, for the audit */
  from: string | undefined;
}

/** What a handler returns: a JSON answer with its status, or a Response of its own (SSE, text). */
export type HandlerResult<R> = { status: number; body: R; audit?: AuditNote } | Response;

/** What the audit records of a mutating call, beside who, when, from where and the status. */
export interface AuditNote {
  service?: string;
  environment?: string;
  releaseId?: number;
  detail?: string;
}

export interface Route<P = unknown, Q = unknown, B = unknown, R = unknown> {
  method: 'GET' | 'POST' | 'DELETE';
  /** OpenAPI style: /api/v1/releases/{service}/{environment}/{id} */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** the JSON answer; undefined for streams and plain text */
  response?: z.ZodType<R>;
  /** the success status */
  status: number;
  /** a body limit of its own (webhooks); default the server's */
  bodyLimit?: number;
  handler(input: HandlerInput<P, Q, B>): Promise<HandlerResult<R>>;
}

/** A route with its types checked, stored without them. */
export function route<P, Q, B, R>(r: Route<P, Q, B, R>): Route {
  return r as unknown as Route;
}
