// The real node's images are built here, without a registry, and reproducibly: two builds from
// the same inputs give the same digests, and those are the images containerd runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { realNode, realNodeSkip } from '../kit/real-node.ts';

const build = fileURLToPath(new URL('../../images/build.sh', import.meta.url));

interface Index {
  manifests: { digest: string; annotations?: Record<string, string> }[];
}

function tags(dir: string, name: string): Record<string, string> {
  const index = JSON.parse(readFileSync(join(dir, `layout-${name}`, 'index.json'), 'utf8')) as Index;
  return Object.fromEntries(
    index.manifests.map((m) => [m.annotations?.['org.opencontainers.image.ref.name'], m.digest]),
  );
}

test(
  'two builds of the images give the same digests, and containerd runs those',
  { timeout: 120_000, skip: realNodeSkip },
  async () => {
    const node = await realNode();
    const tmp = mkdtempSync(join(tmpdir(), 'ferry-images-'));
    try {
      const a = join(tmp, 'a');
      const b = join(tmp, 'b');
      execFileSync('bash', [build, '--out', a], { stdio: ['ignore', 'pipe', 'pipe'] });
      execFileSync('bash', [build, '--out', b], { stdio: ['ignore', 'pipe', 'pipe'] });
      const app = tags(a, 'demo-app');
      assert.deepEqual(Object.keys(app).sort(), ['1.0.0', '2.0.0', 'crash', 'never-ready']);
      assert.deepEqual(tags(b, 'demo-app'), app);
      assert.deepEqual(tags(b, 'pause'), tags(a, 'pause'));
      assert.ok(
        readFileSync(join(a, 'demo-app.tar')).equals(readFileSync(join(b, 'demo-app.tar'))),
        'same archive bytes',
      );

      // the images in the node's containerd are these
      const listed = execFileSync(
        'ctr',
        ['--address', node.containerdSocket, '--namespace', 'k8s.io', 'images', 'ls'],
        {
          encoding: 'utf8',
        },
      );
      const digests = Object.fromEntries(
        listed
          .split('\n')
          .slice(1)
          .map((l) => l.split(/\s+/))
          .filter((f) => f[0]?.startsWith('ferry.local/'))
          .map((f) => [f[0], f[2]]),
      );
      for (const [tag, digest] of Object.entries(app))
        assert.equal(digests[`ferry.local/demo-app:${tag}`], digest, tag);
      assert.equal(digests['ferry.local/pause:1'], tags(a, 'pause')['1']);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },
);
