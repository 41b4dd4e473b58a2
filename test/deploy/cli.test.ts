// status, history and diff through the CLI (in-process, its io captured) against the real
// cluster, after a real deploy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFerry, type CliResult } from '../../src/cli/testing.ts';
import { testKubeconfigPath, withNamespace } from '../kit/cluster.ts';
import { serviceYaml, tempApp } from './kit.ts';

function ferry(dir: string, state: string, ...args: string[]): Promise<CliResult> {
  return runFerry(['-C', dir, ...args], {
    FERRY_STATE: state,
    FERRY_ACTOR: 'cli@test',
    KUBECONFIG: testKubeconfigPath(),
  });
}

test(
  'deploy, then status / history / diff report what the cluster and the store hold',
  { timeout: 120_000 },
  async () => {
    await withNamespace('cli', async ({ namespace }) => {
      const app = tempApp(namespace);
      try {
        app.write('web', serviceYaml('web', { instances: 2, crons: ['sync'] }));
        const d = await ferry(app.dir, app.statePath, 'deploy', 'web:1.0.0', '--env', 'test', '-o', 'json');
        assert.equal(d.code, 0, d.stderr);
        assert.match(d.stderr, /✓ track +\d+\.\ds +2\/2 ready/);
        const deployed = JSON.parse(d.stdout) as { releases: { id: number; outcome: string }[] };
        assert.equal(deployed.releases[0]?.outcome, 'succeeded');

        const s = await ferry(app.dir, app.statePath, 'status', '-o', 'json');
        assert.equal(s.code, 0, s.stderr);
        const status = JSON.parse(s.stdout) as {
          services: {
            service: string;
            liveVersion: string;
            health: string;
            ready: string;
            release: { id: number };
          }[];
        };
        assert.deepEqual(
          status.services.map((r) => [r.service, r.liveVersion, r.health, r.ready, r.release.id]),
          [['web', '1.0.0', 'healthy', '2/2', deployed.releases[0]?.id]],
        );
        const text = await ferry(app.dir, app.statePath, 'status');
        assert.match(
          text.stdout,
          /^SERVICE +ENV +VERSION +HEALTH +READY +DRIFT +LAST RELEASE\nweb +test +1\.0\.0 +healthy +2\/2 +- +1 deploy 1\.0\.0 succeeded/,
        );

        const h = await ferry(app.dir, app.statePath, 'history', 'web', '--env', 'test', '-o', 'json');
        assert.equal(h.code, 0, h.stderr);
        const history = JSON.parse(h.stdout) as {
          releases: { id: number; actor: string; steps: { name: string }[] }[];
        };
        assert.equal(history.releases[0]?.actor, 'cli@test');
        assert.ok(history.releases[0]?.steps.some((x) => x.name === 'track'));

        // logs: every pod of the release, each line prefixed pod/container (kwok's pods have no
        // log to serve: each says so in its place; test/real reads real ones)
        const logs = await ferry(
          app.dir,
          app.statePath,
          'logs',
          'web',
          '--env',
          'test',
          '--component',
          'web',
          '-o',
          'json',
        );
        assert.equal(logs.code, 0, logs.stderr);
        const lines = logs.stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { pod: string; container: string; line: string });
        assert.equal(new Set(lines.map((l) => l.pod)).size, 2, logs.stdout);
        assert.ok(lines.every((l) => l.pod.startsWith('web-') && l.container === 'web'));

        // same version: the server-side dry-run equals the live objects → nothing to change, exit 0
        const same = await ferry(app.dir, app.statePath, 'diff', 'web:1.0.0', '--env', 'test', '-o', 'json');
        assert.equal(same.code, 0, same.stdout + same.stderr);
        const sameChanges = JSON.parse(same.stdout) as { changes: { kind: string; action: string }[] };
        assert.ok(
          sameChanges.changes.every((c) => c.action === 'unchanged'),
          JSON.stringify(sameChanges.changes),
        );

        // a new version without the cron: the image changes and the CronJob would be pruned; exit 3
        // ("differences remain"; 1 is kept for failures)
        app.write('web', serviceYaml('web', { instances: 2 }));
        const next = await ferry(app.dir, app.statePath, 'diff', 'web:1.1.0', '--env', 'test');
        assert.equal(next.code, 3, next.stderr);
        assert.match(next.stdout, /# Deployment\/web: update/);
        assert.match(next.stdout, /^-\s+image: registry\.example\.com\/test\/web:1\.0\.0$/m);
        assert.match(next.stdout, /^\+\s+image: registry\.example\.com\/test\/web:1\.1\.0$/m);
        assert.match(next.stdout, /# CronJob\/web-sync: delete/);
      } finally {
        app.cleanup();
      }
    });
  },
);
