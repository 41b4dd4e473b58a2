// Chaos: deploys killed at random points, on the local cluster. For each way a process can end
// badly — SIGKILL, SIGTERM, a closed output pipe (EPIPE) — run N deploys of a 3-replica service
// whose pods become Ready slowly, end the process at a random moment between 0.2 s and 8 s, then
// check what a team would find afterwards:
//   running   releases still `running` once the next deploy has run (it takes over a dead lease)
//   waited    next deploys that had to wait for a lease (the takeover rule: a gone holder on this
//             host is taken over at once, SIGTERM/EPIPE release theirs on the way out)
//   mismatch  times the live Deployment's image is neither the last successful release's nor
//             the killed release's own version
// Prints a table and writes bench/results/chaos.json. The built CLI (bin/ferry) is used.
// Run: npm run build && npx tsx bench/chaos.ts [deploys per mode] (default 20)
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../src/store/open.ts';
import { keyOf } from '../src/store/types.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const kubeconfig = process.env.FERRY_TEST_KUBECONFIG ?? join(root, '.ferry/cluster/kubeconfig');
const kubectl = process.env.FERRY_TEST_KUBECTL ?? join(root, '.ferry/cluster/bin/kubectl');
const ferryBin = join(root, 'bin/ferry');
const perMode = Number(process.argv[2] ?? 20);
if (!existsSync(kubeconfig)) throw new Error(`no cluster: ${kubeconfig} (npm run cluster:up)`);
if (!existsSync(join(root, 'dist/cli/main.js'))) throw new Error('build first: npm run build');

type Mode = 'SIGKILL' | 'SIGTERM' | 'EPIPE';

interface Outcome {
  mode: Mode;
  killedAfterMs: number;
  killedOutcome: string;
  nextOutcome: string;
  nextWaitedMs: number;
  running: number;
  mismatch: boolean;
}

const env = (dir: string): NodeJS.ProcessEnv => ({
  ...process.env,
  KUBECONFIG: kubeconfig,
  FERRY_STATE: join(dir, 'state.db'),
  FERRY_LEASE_SECONDS: '60',
  NO_COLOR: '1',
});

function app(namespace: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-chaos-'));
  mkdirSync(join(dir, 'services', 'web'), { recursive: true });
  writeFileSync(
    join(dir, 'ferry.platform.yaml'),
    `services: ['services/*']\nenvironments:\n  chaos: { namespace: ${namespace}, tls: { disabled: true } }\npolicy: { progressDeadline: 60s }\n`,
  );
  writeFileSync(
    join(dir, 'services', 'web', 'ferry.yaml'),
    'service: web\nimage: registry.example.com/chaos/web\ncommand: ./serve\nport: 8080\nhealth: /healthz\nresources: { cpu: 50m, memory: 32Mi }\ninstances: 3\nmigrations: { command: ./migrate, down: ./migrate down, timeout: 60s }\n',
  );
  return dir;
}

function deployArgs(dir: string, version: string): string[] {
  return [ferryBin, '-C', dir, 'deploy', `web:${version}`, '--env', 'chaos', '--wait-lock', '120s'].concat([
    '--pod-label',
    'ferry.dev/fault=slow-ready',
  ]);
}

/** One deploy ended badly at `afterMs`; resolves when the process is gone. */
function killedDeploy(dir: string, version: string, mode: Mode, afterMs: number): Promise<void> {
  return new Promise((resolve) => {
    const [cmd, ...args] = deployArgs(dir, version);
    if (mode === 'EPIPE') {
      // a real pipeline whose reader goes away: every later write of ferry fails with EPIPE
      const line = [process.execPath, cmd, ...args].map((a) => `'${a}'`).join(' ');
      const sh = spawn(
        'sh',
        ['-c', `${line} 2>&1 | (sleep ${(afterMs / 1000).toFixed(2)}; head -c 1 >/dev/null)`],
        {
          env: env(dir),
          stdio: 'ignore',
        },
      );
      sh.on('close', () => resolve());
      return;
    }
    const child = spawn(process.execPath, [cmd!, ...args], { env: env(dir), stdio: 'ignore' });
    const t = setTimeout(() => child.kill(mode), afterMs);
    child.on('close', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

function liveImage(namespace: string): string | undefined {
  const r = spawnSync(
    kubectl,
    [
      '--kubeconfig',
      kubeconfig,
      '-n',
      namespace,
      'get',
      'deploy',
      'web',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].image}',
    ],
    { encoding: 'utf8' },
  );
  return r.status === 0 ? r.stdout.trim() : undefined;
}

async function round(mode: Mode, dir: string, namespace: string, n: number): Promise<Outcome> {
  const version = `${mode.toLowerCase()}-${n}`;
  const afterMs = 200 + Math.floor(Math.random() * 7800);
  await killedDeploy(dir, version, mode, afterMs);
  const store = await openStore(join(dir, 'state.db'));
  const killed = await store.latest('web', 'chaos');
  const killedOutcome = killed?.version === version ? killed.outcome : 'not started';
  await store.close();
  // the next deploy: how long until it holds the lease
  const t0 = Date.now();
  const next = spawnSync(process.execPath, deployArgs(dir, `${version}-next`), {
    env: env(dir),
    encoding: 'utf8',
  });
  const wall = Date.now() - t0;
  const after = await openStore(join(dir, 'state.db'));
  const last = await after.latest('web', 'chaos');
  const lock = last ? (await after.steps(keyOf(last))).find((s) => s.name === 'lock') : undefined;
  const waited = lock && lock.endedAt !== undefined ? lock.endedAt - lock.startedAt : wall;
  const running = (
    await after.releases({ service: 'web', environment: 'chaos', outcome: 'running', limit: 100 })
  ).items.length;
  const ok = await after.lastSuccessful('web', 'chaos');
  await after.close();
  const image = liveImage(namespace);
  const expected = new Set(
    [ok?.version, `${version}-next`].filter(Boolean).map((v) => `registry.example.com/chaos/web:${v}`),
  );
  return {
    mode,
    killedAfterMs: afterMs,
    killedOutcome,
    nextOutcome: next.status === 0 ? 'succeeded' : `exit ${next.status}`,
    nextWaitedMs: waited,
    running,
    mismatch: image !== undefined && !expected.has(image),
  };
}

const results: Outcome[] = [];
const load0 = loadavg()[0];
for (const mode of ['SIGKILL', 'SIGTERM', 'EPIPE'] as const) {
  const namespace = `ferry-chaos-${mode.toLowerCase()}-${randomBytes(2).toString('hex')}`;
  const dir = app(namespace);
  for (let n = 0; n < perMode; n++) {
    const r = await round(mode, dir, namespace, n);
    results.push(r);
    process.stderr.write(
      `${mode} #${n + 1}: killed after ${r.killedAfterMs} ms (${r.killedOutcome}); next ${r.nextOutcome}, waited ${r.nextWaitedMs} ms; running ${r.running}${r.mismatch ? '; LIVE MISMATCH' : ''}\n`,
    );
  }
  spawnSync(kubectl, ['--kubeconfig', kubeconfig, 'delete', 'namespace', namespace, '--wait=false']);
}

const rows = (['SIGKILL', 'SIGTERM', 'EPIPE'] as const).map((mode) => {
  const rs = results.filter((r) => r.mode === mode);
  const waits = rs.map((r) => r.nextWaitedMs).sort((a, b) => a - b);
  return {
    mode,
    deploys: rs.length,
    outcomes: Object.entries(
      rs.reduce<Record<string, number>>(
        (a, r) => ({ ...a, [r.killedOutcome]: (a[r.killedOutcome] ?? 0) + 1 }),
        {},
      ),
    )
      .map(([k, v]) => `${v} ${k}`)
      .join(', '),
    running: rs.reduce((a, r) => a + r.running, 0),
    waitedOver1s: rs.filter((r) => r.nextWaitedMs > 1000).length,
    maxWaitMs: waits.at(-1) ?? 0,
    mismatch: rs.filter((r) => r.mismatch).length,
    nextFailed: rs.filter((r) => r.nextOutcome !== 'succeeded').length,
  };
});
const out = { at: new Date().toISOString(), loadAverage: [load0, loadavg()[0]], perMode, rows, results };
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/chaos.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log(`load average ${load0?.toFixed(1)} → ${loadavg()[0]?.toFixed(1)}; ${perMode} deploys per mode`);
console.log(
  '| mode | deploys | the killed release ended | left running | next deploy waited > 1 s | max wait | live ≠ last good or new | next failed |',
);
console.log('| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows)
  console.log(
    `| ${r.mode} | ${r.deploys} | ${r.outcomes} | ${r.running} | ${r.waitedOver1s} | ${r.maxWaitMs} ms | ${r.mismatch} | ${r.nextFailed} |`,
  );
