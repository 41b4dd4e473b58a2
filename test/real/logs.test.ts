// `ferry logs` on the real node: the lines its containers really wrote — the web server's start
// and the kubelet's probe requests, the migration's psql run — read through the API server from
// the node's kubelet, prefixed pod/container.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { testKubeconfigPath } from '../kit/cluster.ts';
import { httpGet, realNodeSkip } from '../kit/real-node.ts';
import { withRealApp } from './kit.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Line {
  pod: string;
  container: string;
  line: string;
}

test(
  'ferry logs shows what the containers on the real node wrote',
  { timeout: 120_000, skip: realNodeSkip },
  async () => {
    await withRealApp('logs', async (r) => {
      r.writeDemo();
      const res = await r.deploy('1.0.0');
      assert.equal(res.outcome, 'succeeded', res.message);
      const [web] = await r.webPods();
      const webPod = web!.metadata!.name!;
      assert.equal((await httpGet(`http://${web!.status!.podIP!}:8080/`)).status, 200);

      const ferry = (...args: string[]) => {
        const p = spawnSync(
          process.execPath,
          ['--import', 'tsx', `${root}/src/cli/main.ts`, '-C', r.app.dir, ...args],
          {
            cwd: root,
            encoding: 'utf8',
            env: {
              ...process.env,
              NO_COLOR: '1',
              FERRY_STATE: r.app.statePath,
              KUBECONFIG: testKubeconfigPath(),
            },
          },
        );
        assert.equal(p.status, 0, `exit ${p.status}: ${p.stderr}${p.stdout}`);
        return p.stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Line);
      };
      const lines = ferry('logs', 'demo', '--env', 'test', '-o', 'json');
      const of = (pod: string) => lines.filter((l) => l.pod === pod).map((l) => l.line);
      assert.ok(of(webPod).includes('demo-app 1.0.0 (serve) listening on :8080'), JSON.stringify(lines));
      // httpd logs each request: the kubelet's probes from the bridge's gateway, and ours
      assert.ok(
        of(webPod).some((l) => l.includes(`${r.node.gateway}]`) && l.endsWith('response:200')),
        JSON.stringify(of(webPod)),
      );
      const migration = ferry('logs', 'demo', '--env', 'test', '--component', 'migration', '-o', 'json');
      assert.ok(migration.length > 0 && migration.every((l) => l.pod.startsWith('demo-migrate-1.0.0-')));
      assert.ok(
        migration.some((l) => l.line === 'migrate up: release_1_0_0 done'),
        JSON.stringify(migration),
      );
    });
  },
);
