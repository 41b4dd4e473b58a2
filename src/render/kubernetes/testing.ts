// For tests: the field fixtures of testdata/fields/ — one small service per manifest field, each
// rendered in the `test` and `prod` environments of testdata/fields/ferry.platform.yaml — as
// loaded apps. Used by the golden test (fields.test.ts) and the server-side dry-run test.
// Not part of the build (tsconfig.build.json leaves it out).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LoadedApp } from '../../manifest/load.ts';
import { appFromTexts } from '../../manifest/memory.ts';

export const FIELDS_DIR = fileURLToPath(new URL('./testdata/fields/', import.meta.url));

/** The fixture names: `<name>.ferry.yaml` in testdata/fields/, sorted. */
export function fieldFixtures(): string[] {
  return readdirSync(FIELDS_DIR)
    .filter((f) => f.endsWith('.ferry.yaml'))
    .map((f) => f.slice(0, -'.ferry.yaml'.length))
    .sort();
}

export function fieldApp(name: string): LoadedApp {
  const platform = `${FIELDS_DIR}ferry.platform.yaml`;
  const file = `${FIELDS_DIR}${name}.ferry.yaml`;
  return appFromTexts({ file: platform, text: readFileSync(platform, 'utf8') }, [
    { file, text: readFileSync(file, 'utf8') },
  ]);
}
