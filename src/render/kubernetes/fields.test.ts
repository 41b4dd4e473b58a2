// A render golden per manifest field: every testdata/fields/<name>.ferry.yaml rendered (with its
// Jobs) in both environments of the fields platform and compared byte for byte with
// testdata/fields/<name>.golden.yaml. UPDATE_GOLDEN=1 rewrites them; review the diff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { listWorkloads } from '../../model/resolve.ts';
import { toYamlStream } from '../serialize.ts';
import { renderEnvironment } from './target.ts';
import { FIELDS_DIR, fieldApp, fieldFixtures } from './testing.ts';

const update = process.env['UPDATE_GOLDEN'] === '1';

test('there are field fixtures', () => {
  assert.ok(fieldFixtures().length >= 10, fieldFixtures().join(', '));
});

for (const name of fieldFixtures()) {
  test(`field golden: ${name}`, () => {
    const app = fieldApp(name);
    const parts: string[] = [];
    for (const env of ['test', 'prod']) {
      const ws = listWorkloads(app, env, '1.0.0');
      parts.push(
        `# ${name} in ${env}\n${toYamlStream(renderEnvironment(ws[0]!.environment, ws, { jobs: true }))}`,
      );
    }
    const text = parts.join('---\n');
    const file = `${FIELDS_DIR}${name}.golden.yaml`;
    if (update) return writeFileSync(file, text);
    assert.ok(existsSync(file), `${file} is missing: run UPDATE_GOLDEN=1 npm run test:unit and review it`);
    assert.equal(text, readFileSync(file, 'utf8'), `${name} differs from ${file} (UPDATE_GOLDEN=1 rewrites)`);
  });
}
