// Every import must be usable and its report true, over the whole corpus and generated stacks:
// the imported project validates (`ferry validate`'s checks) and renders, every report line that
// says "mapped" names a field the manifest has, and no credential from a variable reaches a
// written ferry.yaml. (test/import-dryrun.test.ts sends the same imports to the API server.)
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { importFiles } from '../src/import/index.ts';
import { untrueLines } from '../src/import/truth.ts';
import { writeImport } from '../src/import/write.ts';
import type { ImportResult } from '../src/import/types.ts';
import { loadApp } from '../src/manifest/load.ts';
import { checkApp } from '../src/model/check.ts';
import { listWorkloads } from '../src/model/resolve.ts';
import { renderEnvironment } from '../src/render/kubernetes/target.ts';
import { corpusImports } from './kit/corpus.ts';
import { CREDENTIAL_VALUES, stackArb, writeStack } from './kit/stacks.ts';

/** Writes the import, loads it as `ferry validate` does, renders every workload; returns the texts. */
async function usable(r: ImportResult): Promise<string[]> {
  const out = await mkdtemp(join(tmpdir(), 'ferry-imported-'));
  const written = await writeImport(r, out, { force: false });
  const app = await loadApp(out);
  checkApp(app);
  for (const env of Object.keys(app.platform.manifest.environments)) {
    const ws = listWorkloads(app, env, '1.0.0');
    if (ws.length > 0) assert.ok(renderEnvironment(ws[0]!.environment, ws, { jobs: true }).length > 0);
  }
  return Promise.all(written.manifests.map((f) => readFile(f, 'utf8')));
}

for (const c of await corpusImports())
  test(`corpus ${c.name}: imports, validates, renders, and every mapped line is true`, async () => {
    for (const files of await c.files()) {
      const r = await importFiles(files, undefined, { vars: {} });
      assert.deepEqual(untrueLines(r), [], files.join(' '));
      // a file of dependent Chronos jobs only holds no service (each job is reported)
      if (r.services.length > 0) await usable(r);
      else assert.ok(r.report.some((e) => e.outcome === 'dropped'));
    }
  });

test('generated stacks: import, validate, render; mapped lines are true; no credential is written', async () => {
  await fc.assert(
    fc.asyncProperty(stackArb, async (stack) => {
      const file = await writeStack(stack);
      const r = await importFiles([file], undefined, { vars: stack.vars });
      assert.deepEqual(untrueLines(r), []);
      const texts = await usable(r);
      for (const t of texts)
        for (const v of CREDENTIAL_VALUES) assert.ok(!t.includes(v), `${v} written:\n${t}`);
    }),
    { numRuns: 80 },
  );
});
