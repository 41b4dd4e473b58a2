// The API as an OpenAPI 3.1 document, generated from the route list and its zod schemas (zod's
// own JSON Schema output, draft 2020-12, which OpenAPI 3.1 takes as it is). Each operation says
// who may call it (x-ferry-access: the role, and where the environment it acts in comes from),
// so tests can check every route's auth from the document alone.
import { z } from 'zod';
import type { Route } from './route.ts';

type Json = Record<string, unknown>;

function schemaOf(s: z.ZodType | undefined, io: 'input' | 'output'): Json | undefined {
  if (!s) return undefined;
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Json;
  return rest;
}

function parameters(r: Route): Json[] {
  const out: Json[] = [];
  const add = (s: z.ZodType | undefined, where: 'path' | 'query') => {
    const js = schemaOf(s, 'input');
    const props = (js?.properties ?? {}) as Record<string, Json>;
    const required = new Set((js?.required ?? []) as string[]);
    for (const [name, schema] of Object.entries(props)) {
      const { description, ...rest } = schema;
      out.push({
        name,
        in: where,
        required: where === 'path' || required.has(name),
        schema: rest,
        ...(typeof description === 'string' ? { description } : {}),
      });
    }
  };
  add(r.params, 'path');
  add(r.query, 'query');
  return out;
}

const errorBody = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        hint: { type: 'string' },
        issues: { type: 'array', items: { type: 'object' } },
      },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
};

export function openApiDocument(routes: readonly Route[]): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const r of routes) {
    const op: Json = {
      operationId: `${r.method.toLowerCase()}${r.path
        .replace(/[{}]/g, '')
        .replace(/\/(\w)/g, (_, c: string) => c.toUpperCase())
        .replace(/[^A-Za-z0-9]/g, '')}`,
      summary: r.summary,
      tags: [r.tag],
      'x-ferry-access':
        r.access.kind === 'token'
          ? {
              kind: 'token',
              role: r.access.role,
              ...(r.access.environment ? { environment: r.access.environment } : {}),
            }
          : { kind: r.access.kind },
      ...(r.access.kind === 'token' ? { security: [{ bearer: [] }] } : { security: [] }),
      parameters: parameters(r),
      ...(r.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: schemaOf(r.body, 'input') } },
            },
          }
        : {}),
      responses: {
        [String(r.status)]: {
          description: 'ok',
          ...(r.response
            ? { content: { 'application/json': { schema: schemaOf(r.response, 'output') } } }
            : {}),
        },
        default: { description: 'an error', content: { 'application/json': { schema: errorBody } } },
      },
    };
    (paths[r.path] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'ferry team server',
      version: '1',
      description:
        'Deploys, rollbacks, release history and live state of every service in every environment.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'a fry_ token' } },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
