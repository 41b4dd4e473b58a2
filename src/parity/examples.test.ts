// Parity of ferry's own output: render every example for every environment with a target, import
// that output as the old platform, and compare with the same environment. Whatever ferry sets
// (feature wiring included) must not show up as missing.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { importFiles } from '../import/index.ts';
import { loadApp } from '../manifest/load.ts';
import { listWorkloads } from '../model/resolve.ts';
import { toYamlStream } from '../render/serialize.ts';
import { loadTarget } from '../render/targets.ts';
import { formatParity, parity } from './index.ts';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples');
const VERSION = '1.0.0';

async function examples(): Promise<string[]> {
  const entries = await readdir(EXAMPLES, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

async function selfParity(example: string, targetName: string, env: string) {
  const app = await loadApp(join(EXAMPLES, example));
  const target = await loadTarget(targetName);
  assert.ok(target);
  const workloads = listWorkloads(app, env, VERSION);
  const docs = target.render(workloads[0]!.environment, workloads, { jobs: false });
  const dir = await mkdtemp(join(tmpdir(), 'ferry-parity-self-'));
  try {
    const file = join(dir, `${targetName}.yaml`);
    await writeFile(file, toYamlStream(docs));
    const warned = target.warnings?.(workloads[0]!.environment, workloads) ?? [];
    return { result: parity(app, env, VERSION, await importFiles([file])), warned };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

for (const targetName of ['kubernetes', 'swarm', 'marathon'])
  test(`parity of ferry's own ${targetName} output: no blocking row for any example`, async () => {
    for (const example of await examples()) {
      const app = await loadApp(join(EXAMPLES, example));
      for (const env of Object.keys(app.platform.manifest.environments)) {
        if (listWorkloads(app, env, VERSION).length === 0) continue;
        const { result: r, warned } = await selfParity(example, targetName, env);
        const table = `${example} ${env}:\n${formatParity(r)}`;
        if (targetName === 'kubernetes') assert.equal(r.summary.blocking, 0, table);
        for (const row of r.rows.filter((x) => x.severity === 'warning' || x.severity === 'blocking')) {
          if (targetName === 'swarm' && row.aspect === 'health' && row.severity === 'warning') continue; // wget/nc checks (targets.md)
          // otherwise only what the target cannot express, and the render warned about it: access
          // control and paths (marathon-lb serves every host with every path), autoscaling, and
          // config files (docker stack deploy reads no inline content: an external config)
          assert.ok(['routes', 'instances', 'files'].includes(row.aspect), `${row.aspect}: ${table}`);
          assert.ok(
            warned.some((w) => w.startsWith(`${row.service}: `)),
            `${table}\nthe render did not warn about ${row.service}`,
          );
        }
        if (targetName === 'kubernetes') assert.equal(r.summary.warning, 0, table);
      }
    }
  });
