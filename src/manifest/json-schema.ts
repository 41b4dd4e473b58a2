// JSON Schema (draft 2020-12) of both file formats, generated from the zod schemas.
import { z } from 'zod';
import { platformSchema, serviceManifestSchema } from './schema.ts';

export const SCHEMA_BASE = 'https://ferry.dev/schema';

export function jsonSchemas(): Record<string, unknown> {
  return {
    'ferry.schema.json': {
      $id: `${SCHEMA_BASE}/ferry.schema.json`,
      title: 'ferry service manifest (ferry.yaml)',
      ...z.toJSONSchema(serviceManifestSchema, { io: 'input' }),
    },
    'ferry.platform.schema.json': {
      $id: `${SCHEMA_BASE}/ferry.platform.schema.json`,
      title: 'ferry platform file (ferry.platform.yaml)',
      ...z.toJSONSchema(platformSchema, { io: 'input' }),
    },
  };
}
