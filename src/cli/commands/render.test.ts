import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { FerryError } from '../../errors.ts';
import { exitCodeOf } from '../exit.ts';
import { DEV_VERSION, renderCommand, type RenderCommandOptions } from './render.ts';

const anna = fileURLToPath(new URL('../../../examples/anna', import.meta.url));
const base: RenderCommandOptions = {
  dir: anna,
  services: [],
  env: 'test',
  version: undefined,
  target: 'kubernetes',
  output: 'yaml',
  jobs: true,
};

interface Doc {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
}

test('yaml: a multi-document stream, Namespace first, the dev version by default', async () => {
  const text = await renderCommand(base);
  const docs = parseAllDocuments(text).map((d) => d.toJS() as Doc);
  assert.equal(docs[0]!.kind, 'Namespace');
  assert.ok(docs.some((d) => d.kind === 'Job' && d.metadata.name === `account-migrate-${DEV_VERSION}`));
  // what runs the image carries the version; the rest (Service, Ingress, …) does not change with it
  const runsImage = new Set(['Deployment', 'CronJob', 'Job']);
  assert.ok(
    docs.every((d) =>
      runsImage.has(d.kind)
        ? d.metadata.labels?.['ferry.dev/version'] === DEV_VERSION
        : d.metadata.labels?.['ferry.dev/version'] === undefined,
    ),
  );
});

test('json: one v1 List; --no-jobs leaves the Jobs out; service:version pins one service', async () => {
  const list = JSON.parse(
    await renderCommand({
      ...base,
      output: 'json',
      jobs: false,
      services: ['hcn:2.1.0', 'document', 'hcn:2.1.0'],
      version: '1.0.0',
    }),
  ) as { apiVersion: string; kind: string; items: Doc[] };
  assert.equal(list.kind, 'List');
  assert.ok(!list.items.some((d) => d.kind === 'Job'));
  assert.equal(
    list.items.filter((d) => d.kind === 'Deployment').length,
    2,
    'a service named twice renders once',
  );
  const versions = new Map(
    list.items
      .filter((d) => d.kind === 'Deployment')
      .map((d) => [d.metadata.name, d.metadata.labels?.['ferry.dev/version']]),
  );
  assert.deepEqual([...versions.entries()].sort(), [
    ['document', '1.0.0'],
    ['hcn', '2.1.0'],
  ]);
});

async function rejects(o: Partial<RenderCommandOptions>, code: string, hint?: RegExp): Promise<void> {
  await assert.rejects(renderCommand({ ...base, ...o }), (err: unknown) => {
    assert.ok(err instanceof FerryError, String(err));
    assert.equal(err.code, code);
    assert.equal(exitCodeOf(err), 2);
    if (hint) assert.match(err.hint ?? '', hint);
    return true;
  });
}

test('unknown environment, service, target or format: exit code 2 with a suggestion', async () => {
  await rejects({ env: 'tset' }, 'E_UNKNOWN_ENV', /did you mean "test"/);
  await rejects({ services: ['hnc'] }, 'E_UNKNOWN_SERVICE', /did you mean "hcn"/);
  await rejects({ target: 'kubernets' }, 'E_UNKNOWN_TARGET', /did you mean "kubernetes"/);
  await rejects({ output: 'xml' }, 'E_USAGE');
  await rejects({ env: undefined }, 'E_USAGE', /test, prod/);
  await rejects({ services: ['hcn:1.0.0', 'hcn:2.0.0'] }, 'E_USAGE', /once/);
});
