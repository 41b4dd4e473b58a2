// Access control on the marathon target: several paths are one HAPROXY_0_PATH (a path_beg ACL
// with several prefixes); what marathon-lb cannot express is a warning naming the route.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { importMarathon } from '../../import/marathon/index.ts';
import { loadApp } from '../../manifest/load.ts';
import { listWorkloads } from '../../model/resolve.ts';
import { renderMarathonApp, marathonWarnings } from './index.ts';

const examples = fileURLToPath(new URL('../../../examples', import.meta.url));

test('marathon: two paths are both in HAPROXY_0_PATH, not the whole host; they import back', async () => {
  const workloads = listWorkloads(await loadApp(join(examples, 'anna')), 'prod', '1.0.0');
  const app = renderMarathonApp(workloads.find((w) => w.service === 'document')!);
  const labels = app.labels as Record<string, string>;
  assert.equal(labels.HAPROXY_0_PATH, '/api /admin');
  assert.equal(labels.HAPROXY_GROUP, 'external');
  const dir = await mkdtemp(join(tmpdir(), 'ferry-marathon-access-'));
  try {
    const file = join(dir, 'document.json');
    await writeFile(file, JSON.stringify(app));
    const back = await importMarathon([file], {});
    assert.deepEqual(
      back.services[0]!.manifest.routes?.map((r) => r.path),
      ['/api', '/admin'],
    );
    // an old label with a HAProxy flag: the flag is not a path
    await writeFile(file, JSON.stringify({ ...app, labels: { ...labels, HAPROXY_0_PATH: '-i /api' } }));
    const flagged = await importMarathon([file], {});
    assert.deepEqual(
      flagged.services[0]!.manifest.routes?.map((r) => r.path),
      ['/api'],
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('marathon: an internal route in an external app and an allow list are warnings naming the route', async () => {
  const workloads = listWorkloads(await loadApp(join(examples, 'anna')), 'prod', '1.0.0');
  const warnings = marathonWarnings(workloads);
  assert.ok(
    warnings.some((w) =>
      /^document: route document\.anna\.example\.com\/admin is internal.*external group/.test(w),
    ),
    warnings.join('\n'),
  );
  assert.ok(
    warnings.some((w) =>
      /^document: route document\.anna\.example\.com\/admin: .*10\.0\.0\.0\/8,172\.16\.0\.0\/12 is not enforced/.test(
        w,
      ),
    ),
    warnings.join('\n'),
  );
  const changelog = listWorkloads(await loadApp(join(examples, 'changelog')), 'staging', '1.0.0');
  assert.ok(marathonWarnings(changelog).some((w) => /serve every host with every path/.test(w)));
});
