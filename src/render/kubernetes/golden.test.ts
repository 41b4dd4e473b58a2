// Golden tests: every example × environment rendered (with the migration and check Jobs) and
// compared byte for byte with testdata/<example>.<env>.yaml. UPDATE_GOLDEN=1 rewrites the files;
// review the diff before committing it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadApp } from '../../manifest/load.ts';
import { listWorkloads } from '../../model/resolve.ts';
import { toYamlStream } from '../serialize.ts';
import { renderEnvironment } from './target.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
/** The example projects: the folders of examples/. */
const exampleNames = (): string[] =>
  readdirSync(`${root}examples`, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
const testdata = fileURLToPath(new URL('./testdata/', import.meta.url));
const update = process.env['UPDATE_GOLDEN'] === '1';
export const GOLDEN_VERSION = '1.0.0';

const examples = exampleNames();

test('there are examples to render', () => {
  assert.deepEqual(examples, ['anna', 'changelog', 'preply', 'shop']);
});

for (const example of examples) {
  const app = await loadApp(`${root}examples/${example}`);
  for (const env of Object.keys(app.platform.manifest.environments)) {
    test(`golden: ${example} ${env}`, () => {
      const workloads = listWorkloads(app, env, GOLDEN_VERSION);
      assert.ok(workloads.length > 0, `no workloads for ${example} ${env}`);
      const text = toYamlStream(renderEnvironment(workloads[0]!.environment, workloads, { jobs: true }));
      const file = `${testdata}${example}.${env}.yaml`;
      if (update) {
        mkdirSync(testdata, { recursive: true });
        writeFileSync(file, text);
        return;
      }
      assert.ok(existsSync(file), `${file} is missing: run UPDATE_GOLDEN=1 npm run test:unit and review it`);
      assert.equal(
        text,
        readFileSync(file, 'utf8'),
        `${example} ${env} differs from ${file} (UPDATE_GOLDEN=1 rewrites)`,
      );
    });
  }
}
