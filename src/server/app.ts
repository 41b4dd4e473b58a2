// The HTTP app, built from the route list: for every route, in this order — the body limit, the
// caller's token (401) and role (403), the parameters, query and body checked by the route's
// schemas (400 naming the field), the environment the call acts in (403 outside the token's), the
// handler, and its answer as JSON. Every error becomes one JSON error body with the status of
// its kind (errors.ts); every mutating call and webhook is written to the audit with who, which
// token, what, from where and the result. Nothing else is served: an unknown path is 404 JSON.
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import { environmentOf } from '../engine/actions/environments.ts';
import { FerryError, type Issue } from '../errors.ts';
import { InvalidInputError } from '../errors.ts';
import { authenticate, requireEnvironment, requireRole, type Principal } from './auth.ts';
import type { ServerContext } from './context.ts';
import { errorAnswer, httpError } from './errors.ts';
import { openApiDocument } from './openapi.ts';
import type { AuditNote, Route } from './route.ts';
import { doraRoutes } from './routes/dora.ts';
import { eventRoutes } from './routes/events.ts';
import { logRoutes } from './routes/logs.ts';
import { githubRoutes } from './routes/github.ts';
import { metaRoutes } from './routes/meta.ts';
import { previewRoutes } from './routes/previews.ts';
import { previewServicesRoutes } from './routes/preview-services.ts';
import { diffRoutes } from './routes/diff.ts';
import { releaseRoutes } from './routes/releases.ts';
import { batchRoutes } from './routes/batches.ts';
import { requestEnvironment, requestRoutes } from './routes/requests.ts';
import { serviceRoutes } from './routes/services.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { deliveryRoutes } from './routes/delivery.ts';
import { registryWebhookRoutes } from './routes/webhooks-registry.ts';
import { serveWeb } from './web-assets.ts';

/** Every route the server serves, in one list (the OpenAPI document is made from it). */
export function allRoutes(extra: readonly Route[] = []): Route[] {
  return [
    ...metaRoutes,
    ...serviceRoutes,
    ...releaseRoutes,
    ...requestRoutes,
    ...batchRoutes,
    ...eventRoutes,
    ...tokenRoutes,
    ...previewRoutes,
    ...previewServicesRoutes,
    ...githubRoutes,
    ...deliveryRoutes,
    ...registryWebhookRoutes,
    ...doraRoutes,
    ...logRoutes,
    ...diffRoutes,
    ...extra,
  ];
}

function zodIssues(where: string, e: z.ZodError): InvalidInputError {
  const issues: Issue[] = e.issues.map((i) => ({
    path: [where, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  return new InvalidInputError(
    issues,
    `invalid ${where}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    'E_BAD_REQUEST',
  );
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return value as T;
  const r = schema.safeParse(value);
  if (!r.success) throw zodIssues(where, r.error);
  return r.data;
}

const honoPath = (p: string) => p.replace(/\{(\w+)\}/g, ':$1');

/** A request body as JSON, within the limit (413 above it, 400 when it is not JSON). */
async function readBody(c: Context, limit: number): Promise<unknown> {
  const length = Number(c.req.header('content-length') ?? '0');
  if (length > limit) throw httpError('E_TOO_LARGE', `the body is ${length} bytes; the limit is ${limit}`);
  const text = await c.req.text();
  if (Buffer.byteLength(text) > limit)
    throw httpError('E_TOO_LARGE', `the body is over the limit of ${limit} bytes`);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw httpError(
      'E_BAD_REQUEST',
      `the body is not JSON: ${e instanceof Error ? e.message : String(e)}`,
      'send Content-Type: application/json',
    );
  }
}

function clientAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

export function buildApp(ctx: ServerContext, routes: readonly Route[] = allRoutes()): Hono {
  const app = new Hono();
  let doc: Record<string, unknown> = {};
  const served: Route[] = [
    ...routes,
    {
      method: 'GET',
      path: '/api/v1/openapi.json',
      summary: 'This API, as an OpenAPI 3.1 document generated from the same schemas the server checks.',
      tag: 'meta',
      access: { kind: 'token', role: 'viewer' },
      status: 200,
      handler: async () => ({ status: 200, body: doc }),
    },
  ];
  doc = openApiDocument(served);
  for (const r of served) {
    app.on(r.method, honoPath(r.path), async (c) => {
      const from = clientAddress(c);
      const mutating = r.method !== 'GET';
      let principal: Principal | undefined;
      let note: AuditNote | undefined;
      let status = 500;
      try {
        if (r.access.kind === 'token') {
          principal = await authenticate(ctx.records, c.req.header('authorization'), ctx.now(), from);
          requireRole(principal, r.access.role);
        }
        const params = parse(r.params, c.req.param(), 'path');
        const query = parse(r.query, c.req.query(), 'query');
        const body =
          mutating && r.body
            ? parse(r.body, await readBody(c, r.bodyLimit ?? ctx.settings.bodyLimit), 'body')
            : undefined;
        if (r.access.kind === 'token' && r.access.environment && principal) {
          const name =
            r.access.environment === 'body'
              ? (body as { environment?: string } | undefined)?.environment
              : r.access.environment === 'path'
                ? (params as { environment?: string }).environment
                : await requestEnvironment(ctx, (params as { id: number }).id);
          if (name) {
            const { app: project } = await ctx.project.load();
            requireEnvironment(principal, environmentOf(project, name));
          }
        }
        const out = await r.handler({ params, query, body, principal, ctx, request: c.req.raw, from });
        if (out instanceof Response) {
          status = out.status;
          return out;
        }
        status = out.status;
        note = out.audit;
        return c.json(out.body as object, out.status as 200);
      } catch (e) {
        const { status: s, body } = errorAnswer(e);
        status = s;
        if (s >= 500 && !(e instanceof FerryError))
          ctx.log.error(
            { route: `${r.method} ${r.path}`, error: e instanceof Error ? e.message : String(e) },
            'a request failed',
          );
        return c.json(body, s as 500);
      } finally {
        ctx.metrics.http.inc({ route: `${r.method} ${r.path}`, status: String(status) });
        if (mutating && r.access.kind !== 'public') {
          void ctx.records
            .appendAuditRecord({
              at: ctx.now(),
              actor: principal?.actor ?? 'anonymous',
              token: principal?.tokenId,
              action: `${r.method} ${r.path}`,
              service: note?.service ?? '',
              environment: note?.environment ?? '',
              releaseId: note?.releaseId,
              detail: note?.detail ?? '',
              source: from,
              result: String(status),
            })
            .catch((e: unknown) =>
              ctx.log.error(
                { error: e instanceof Error ? e.message : String(e) },
                'could not write the audit',
              ),
            );
        }
      }
    });
  }
  serveWeb(app, ctx.settings.webDir);
  app.notFound((c) =>
    c.json(
      errorAnswer(
        httpError(
          'E_NO_ROUTE',
          `no route ${c.req.method} ${c.req.path}`,
          'the API is described at /api/v1/openapi.json',
        ),
      ).body,
      404,
    ),
  );
  return app;
}
