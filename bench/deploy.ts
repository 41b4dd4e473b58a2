// Deploy, rollback and bad-rollout figures on the local cluster (same run, same cluster):
//   A. ferry deploy of a 4-replica service with a new image until Ready
//      vs `kubectl apply` + `kubectl rollout status` of the same objects (another namespace)
//   B. ferry rollback vs `kubectl rollout undo` + `kubectl rollout status`
//   C. a never-ready rollout: ferry deploy → detected, reverted, finished (wall time, and the
//      track / revert step timings from the record)
// Both sides are whole processes (the built bin/ferry, the cluster's kubectl), alternated.
// Run: npm run build && npx tsx bench/deploy.ts [rounds] → bench/results/deploy.json
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { loadApp } from '../src/manifest/load.ts';
import { planWorkload } from '../src/engine/plan.ts';
import { openStore } from '../src/store/open.ts';
import { keyOf } from '../src/store/types.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const kubeconfig = process.env.FERRY_TEST_KUBECONFIG ?? join(root, '.ferry/cluster/kubeconfig');
const kubectl = process.env.FERRY_TEST_KUBECTL ?? join(root, '.ferry/cluster/bin/kubectl');
const ferryBin = join(root, 'bin/ferry');
const rounds = Number(process.argv[2] ?? 5);

if (!existsSync(kubeconfig)) throw new Error(`no cluster: ${kubeconfig} (npm run cluster:up)`);
if (!existsSync(join(root, 'dist/cli/main.js'))) throw new Error('build first: npm run build');

const id = randomBytes(3).toString('hex');
const nsFerry = `ferry-bench-f-${id}`;
const nsKubectl = `ferry-bench-k-${id}`;
const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-'));
const state = join(dir, 'state.db');

function kc(...args: string[]): string {
  return execFileSync(kubectl, ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8' });
}

function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): { ms: number; code: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && r.status !== 3) process.stderr.write(r.stderr);
  return { ms, code: r.status ?? -1 };
}

function writeApp(namespace: string, into: string): void {
  mkdirSync(join(into, 'services', 'web'), { recursive: true });
  writeFileSync(
    join(into, 'ferry.platform.yaml'),
    `services: ['services/*']\nenvironments:\n  bench:\n    namespace: ${namespace}\n    tls: { disabled: true }\npolicy:\n  progressDeadline: 60s\n`,
  );
  writeFileSync(
    join(into, 'services', 'web', 'ferry.yaml'),
    'service: web\nimage: registry.example.com/bench/web\ncommand: ./serve\nport: 8080\nhealth: /healthz\nresources: { cpu: 100m, memory: 64Mi }\ninstances: 4\n',
  );
}

const ferryDir = join(dir, 'ferry');
const kubectlDir = join(dir, 'kubectl');
writeApp(nsFerry, ferryDir);
writeApp(nsKubectl, kubectlDir);
const ferryEnv = { KUBECONFIG: kubeconfig, FERRY_STATE: state, NO_COLOR: '1' };
const ferry = (...args: string[]) => timed(ferryBin, ['-C', ferryDir, ...args], ferryEnv);

async function kubectlManifest(version: string): Promise<string> {
  const plan = planWorkload(await loadApp(kubectlDir), 'web', 'bench', version);
  const file = join(dir, `kubectl-${version}.yaml`);
  const docs = [...(plan.namespace ? [plan.namespace] : []), ...plan.objects].map((o) => stringify(o));
  writeFileSync(file, docs.join('---\n'));
  return file;
}

function stats(xs: number[]): { min: number; median: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0] ?? NaN, median: s[Math.floor(s.length / 2)] ?? NaN, max: s[s.length - 1] ?? NaN };
}

const deployFerry: number[] = [];
const deployKubectl: number[] = [];
const rollbackFerry: number[] = [];
const rollbackKubectl: number[] = [];
const bad: { wallMs: number; trackMs: number; revertMs: number }[] = [];
/** release time from the record (lock taken → outcome recorded), i.e. without process start-up */
const deployRecorded: number[] = [];
const rollbackRecorded: number[] = [];

async function lastReleaseMs(): Promise<number> {
  const store = await openStore(state);
  const r = await store.latest('web', 'bench');
  await store.close();
  return r && r.endedAt !== undefined ? r.endedAt - r.startedAt : NaN;
}

try {
  // first release on both sides (not measured)
  if (ferry('deploy', 'web:0.0.1', '--env', 'bench').code !== 0) throw new Error('first ferry deploy failed');
  kc(
    'apply',
    '--server-side',
    '--field-manager',
    'kubectl-bench',
    '--force-conflicts',
    '-f',
    await kubectlManifest('0.0.1'),
  );
  kc('rollout', 'status', `deployment/web`, '-n', nsKubectl, '--timeout', '120s');

  let v = 1;
  for (let i = 0; i < rounds; i++) {
    const version = `1.0.${v++}`;
    const file = await kubectlManifest(version);
    const k0 = process.hrtime.bigint();
    kc('apply', '--server-side', '--field-manager', 'kubectl-bench', '--force-conflicts', '-f', file);
    kc('rollout', 'status', 'deployment/web', '-n', nsKubectl, '--timeout', '120s');
    deployKubectl.push(Number(process.hrtime.bigint() - k0) / 1e6);
    const f = ferry('deploy', `web:${version}`, '--env', 'bench');
    if (f.code !== 0) throw new Error(`ferry deploy ${version} failed`);
    deployFerry.push(f.ms);
    deployRecorded.push(await lastReleaseMs());

    const r0 = process.hrtime.bigint();
    kc('rollout', 'undo', 'deployment/web', '-n', nsKubectl);
    kc('rollout', 'status', 'deployment/web', '-n', nsKubectl, '--timeout', '120s');
    rollbackKubectl.push(Number(process.hrtime.bigint() - r0) / 1e6);
    const rb = ferry('rollback', 'web', '--env', 'bench');
    if (rb.code !== 0) throw new Error('ferry rollback failed');
    rollbackFerry.push(rb.ms);
    rollbackRecorded.push(await lastReleaseMs());
  }

  for (let i = 0; i < Math.min(3, rounds); i++) {
    const version = `9.9.${i}`;
    const f = ferry(
      'deploy',
      `web:${version}`,
      '--env',
      'bench',
      '--pod-label',
      'web:ferry.dev/fault=never-ready',
    );
    if (f.code !== 3) throw new Error(`the never-ready deploy exited ${f.code}, expected 3`);
    const store = await openStore(state);
    const r = await store.latest('web', 'bench');
    const steps = r ? await store.steps(keyOf(r)) : [];
    await store.close();
    const ms = (n: string) => {
      const s = steps.find((x) => x.name === n);
      return s && s.endedAt !== undefined ? s.endedAt - s.startedAt : NaN;
    };
    bad.push({ wallMs: f.ms, trackMs: ms('track'), revertMs: ms('revert') });
  }
} finally {
  kc('delete', 'namespace', nsFerry, nsKubectl, '--wait=false');
  rmSync(dir, { recursive: true, force: true });
}

const dF = stats(deployFerry);
const dK = stats(deployKubectl);
const rF = stats(rollbackFerry);
const rK = stats(rollbackKubectl);
const rows = [
  ['deploy 4 replicas, new image → Ready', 'ferry deploy (process)', dF],
  ['', 'ferry deploy (recorded release time)', stats(deployRecorded)],
  ['', 'kubectl apply + rollout status', dK],
  ['rollback → Ready', 'ferry rollback (process)', rF],
  ['', 'ferry rollback (recorded release time)', stats(rollbackRecorded)],
  ['', 'kubectl rollout undo + status', rK],
] as const;
console.log(`rounds: ${rounds}, load average ${loadavg()[0]?.toFixed(1)}`);
console.log('| scenario | command | min ms | median ms | max ms |\n| --- | --- | ---: | ---: | ---: |');
for (const [s, c, x] of rows)
  console.log(`| ${s} | ${c} | ${x.min.toFixed(0)} | ${x.median.toFixed(0)} | ${x.max.toFixed(0)} |`);
console.log(`\ndeploy ratio ferry/kubectl (median): ${(dF.median / dK.median).toFixed(2)}× (target ≤ 1.2×)`);
console.log(
  `rollback ratio ferry/kubectl (median): ${(rF.median / rK.median).toFixed(2)}× (target ≤ 1.2×, < 3 s)`,
);
console.log('\nnever-ready rollout (ferry deploy → detected → reverted → exit 3):');
console.log('| run | wall ms | track (detect) ms | revert ms |\n| --- | ---: | ---: | ---: |');
bad.forEach((b, i) => console.log(`| ${i + 1} | ${b.wallMs.toFixed(0)} | ${b.trackMs} | ${b.revertMs} |`));

mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(
  join(root, 'bench/results/deploy.json'),
  `${JSON.stringify(
    {
      at: new Date().toISOString(),
      rounds,
      loadavg: loadavg(),
      deploy: {
        ferry: deployFerry,
        ferryRecorded: deployRecorded,
        kubectl: deployKubectl,
        ratioMedian: dF.median / dK.median,
      },
      rollback: {
        ferry: rollbackFerry,
        ferryRecorded: rollbackRecorded,
        kubectl: rollbackKubectl,
        ratioMedian: rF.median / rK.median,
      },
      badRollout: bad,
    },
    null,
    2,
  )}\n`,
);
