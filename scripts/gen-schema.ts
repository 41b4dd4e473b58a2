// Writes the JSON Schemas editors use (schema/*.json) from the zod schemas in src/manifest.
// `--check` fails when the committed files are not current (run in `npm run check`).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { jsonSchemas } from '../src/manifest/json-schema.ts';

const root = new URL('..', import.meta.url).pathname;
const check = process.argv.includes('--check');
let stale = 0;
for (const [name, schema] of Object.entries(jsonSchemas())) {
  const file = join(root, 'schema', name);
  const text = JSON.stringify(schema, null, 2) + '\n';
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = '';
  }
  if (check) {
    if (current !== text) {
      console.error(`schema/${name} is not current: run npm run schema`);
      stale++;
    }
  } else if (current !== text) {
    mkdirSync(join(root, 'schema'), { recursive: true });
    writeFileSync(file, text);
    console.log(`wrote schema/${name}`);
  }
}
process.exit(stale ? 1 : 0);
