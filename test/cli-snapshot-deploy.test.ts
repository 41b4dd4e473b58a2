// The built CLI as users run it — bin/ferry, started from the start-up snapshot (npm run build) —
// through a release's whole life on the real cluster: deploy with a migration Job, a second
// deploy, status, history, diff, rollback. The Kubernetes client, the SQLite store and the
// migration path load at run time there (they cannot be held in the snapshot), so this is the
// test that they do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { testKubeconfigPath, withNamespace } from './kit/cluster.ts';
import { serviceYaml, tempApp } from './deploy/kit.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

function ferry(
  dir: string,
  state: string,
  ...args: string[]
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(`${root}bin/ferry`, ['-C', dir, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...process.env,
      NO_COLOR: '1',
      FERRY_STATE: state,
      FERRY_ACTOR: 'snapshot@test',
      KUBECONFIG: testKubeconfigPath(),
    },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test(
  'bin/ferry (the snapshot) deploys, reports, diffs and rolls back on the real cluster',
  { timeout: 180_000 },
  async () => {
    await withNamespace('snapshot-cli', async ({ namespace }) => {
      const app = tempApp(namespace);
      try {
        app.write('web', serviceYaml('web', { instances: 2, migration: true }));
        const d1 = ferry(app.dir, app.statePath, 'deploy', 'web:1.0.0', '--env', 'test', '-o', 'json');
        assert.equal(d1.code, 0, d1.stderr);
        assert.match(d1.stderr, /✓ migrate/);
        const d2 = ferry(app.dir, app.statePath, 'deploy', 'web:1.1.0', '--env', 'test');
        assert.equal(d2.code, 0, d2.stderr);
        assert.match(d2.stdout, /release 2: web 1\.1\.0 in test succeeded/);

        const s = ferry(app.dir, app.statePath, 'status', '-o', 'json');
        assert.equal(s.code, 0, s.stderr);
        const status = JSON.parse(s.stdout) as {
          services: { service: string; liveVersion: string; health: string }[];
        };
        assert.deepEqual(
          status.services.map((x) => [x.service, x.liveVersion, x.health]),
          [['web', '1.1.0', 'healthy']],
        );

        const diff = ferry(app.dir, app.statePath, 'diff', 'web:1.2.0', '--env', 'test');
        assert.equal(diff.code, 3, diff.stdout + diff.stderr); // the image changes
        assert.match(diff.stdout, /1\.2\.0/);

        const rb = ferry(app.dir, app.statePath, 'rollback', 'web', '--env', 'test', '-o', 'json');
        assert.equal(rb.code, 0, rb.stderr);
        const h = ferry(app.dir, app.statePath, 'history', 'web', '--env', 'test', '-o', 'json');
        assert.equal(h.code, 0, h.stderr);
        const history = JSON.parse(h.stdout) as {
          releases: { kind: string; version: string; outcome: string; actor: string }[];
        };
        assert.deepEqual(
          history.releases.map((r) => [r.kind, r.version, r.outcome, r.actor]),
          [
            ['rollback', '1.0.0', 'succeeded', 'snapshot@test'],
            ['deploy', '1.1.0', 'succeeded', 'snapshot@test'],
            ['deploy', '1.0.0', 'succeeded', 'snapshot@test'],
          ],
        );
      } finally {
        app.cleanup();
      }
    });
  },
);
