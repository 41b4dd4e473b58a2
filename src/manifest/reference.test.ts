import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonSchemas } from './json-schema.ts';
import { referenceMarkdown } from './reference.ts';
import { platformSchema, serviceManifestSchema } from './schema.ts';

test('the reference lists every field of both files, with defaults', () => {
  const s = jsonSchemas() as Record<string, Record<string, unknown>>;
  const md = referenceMarkdown(s['ferry.schema.json']!, s['ferry.platform.schema.json']!);
  for (const key of Object.keys(serviceManifestSchema.shape)) {
    if (key !== '$schema') assert.ok(md.includes(`| \`${key}\``), key);
  }
  for (const key of Object.keys(platformSchema.shape)) {
    if (key !== '$schema') assert.ok(md.includes(`\`${key}`), key);
  }
  assert.match(
    md,
    /\| `crons\[\]\.concurrency` \| `forbid` \\\| `allow` \\\| `replace` \| Default: policy.cronConcurrency/,
  );
  assert.match(md, /`policy\.cpuRequestRatio` \| number \| CPU request = limit × ratio\. Default 0\.25\./);
});
