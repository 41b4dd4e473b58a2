// `helm template` (a real helm binary, built from its Go module by scripts/helm/install.sh) of the
// chart ferry writes, for every example × service × environment, renders exactly the objects
// ferry's Kubernetes renderer produces for that environment and version.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { loadApp } from '../src/manifest/load.ts';
import { resolveWorkload, serviceEnvironments } from '../src/model/resolve.ts';
import { renderHelmChart, VERSION_SENTINEL } from '../src/render/helm/chart.ts';
import { renderKubernetes } from '../src/render/kubernetes/index.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const VERSION = '3.1.4';

function helmBinary(): string {
  const out = execFileSync('bash', [join(ROOT, 'scripts/helm/install.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return out.trim().split('\n').pop() ?? '';
}

function key(o: unknown): string {
  const m = (o as { kind?: string; metadata?: { namespace?: string; name?: string } }) ?? {};
  return `${m.kind ?? ''}/${m.metadata?.namespace ?? ''}/${m.metadata?.name ?? ''}`;
}

function normalise(objects: readonly unknown[]): unknown[] {
  return objects
    .map((o) => JSON.parse(JSON.stringify(o)) as unknown)
    .sort((a, b) => key(a).localeCompare(key(b)));
}

test(
  'helm template of ferry’s chart equals ferry’s Kubernetes render (every example, service and environment)',
  { timeout: 30 * 60_000 },
  async () => {
    const helm = helmBinary();
    const examples = (await readdir(join(ROOT, 'examples'), { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    assert.ok(examples.length > 0);
    let compared = 0;
    for (const ex of examples) {
      const app = await loadApp(join(ROOT, 'examples', ex));
      for (const s of app.services) {
        const envs = serviceEnvironments(app, s);
        const chart = await mkdtemp(join(tmpdir(), `ferry-chart-${s.name}-`));
        const files = renderHelmChart(
          new Map(envs.map((e) => [e, resolveWorkload(app, s.name, e, VERSION_SENTINEL)])),
          'latest',
        );
        for (const f of files) {
          await mkdir(dirname(join(chart, f.path)), { recursive: true });
          await writeFile(join(chart, f.path), f.content);
        }
        for (const env of envs) {
          const text = execFileSync(
            helm,
            [
              'template',
              s.name,
              chart,
              '-f',
              join(chart, `values.${env}.yaml`),
              '--set-string',
              `image.tag=${VERSION}`,
            ],
            { encoding: 'utf8' },
          );
          const fromHelm = parseAllDocuments(text)
            .map((d) => d.toJS() as unknown)
            .filter((v) => v !== null);
          const fromFerry = renderKubernetes(resolveWorkload(app, s.name, env, VERSION)).objects;
          assert.deepEqual(normalise(fromHelm), normalise(fromFerry), `${ex}/${s.name} in ${env}`);
          compared++;
        }
      }
    }
    console.log(`helm template: ${compared} example × service × environment renders equal ferry's`);
  },
);
