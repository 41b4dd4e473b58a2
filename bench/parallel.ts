// Parallel multi-service deploys on the local cluster: `ferry deploy` of 20 services with
// --parallel 4 vs `ferry deploy` of one service (same service shape, 2 replicas each, a new
// version every round), whole processes of the built bin/ferry, alternated round by round, with
// the machine's load average at each round. Target: 20 services ≤ 2× the time of one.
// Beside them, the peer doing the same work: the same 20 rendered services applied with
// `kubectl apply --server-side` + `kubectl rollout status`, all 20 at once (one bash process).
// For every side, the CPU the test cluster's own processes spent (from .ferry/cluster/pids): on
// a machine where the control plane shares the cores, that CPU bounds the wall time.
// Run: npm run build && npx tsx bench/parallel.ts [rounds] [services] [parallel]
//   → bench/results/parallel.json
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, run, type Sample } from './processes.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const kubeconfig = process.env.FERRY_TEST_KUBECONFIG ?? join(root, '.ferry/cluster/kubeconfig');
const kubectl = process.env.FERRY_TEST_KUBECTL ?? join(root, '.ferry/cluster/bin/kubectl');
const ferryBin = join(root, 'bin/ferry');
const rounds = Number(process.argv[2] ?? 5);
const count = Number(process.argv[3] ?? 20);
const parallel = Number(process.argv[4] ?? 4);

if (!existsSync(kubeconfig)) throw new Error(`no cluster: ${kubeconfig} (npm run cluster:up)`);
if (!existsSync(join(root, 'dist/cli/main.js'))) throw new Error('build first: npm run build');

const namespace = `ferry-bench-p-${randomBytes(3).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-parallel-'));
const names = Array.from({ length: count }, (_, i) => `svc-${String(i + 1).padStart(2, '0')}`);
const single = 'solo';

writeFileSync(
  join(dir, 'ferry.platform.yaml'),
  `services: ['services/*']\nenvironments:\n  bench:\n    namespace: ${namespace}\n    tls: { disabled: true }\npolicy:\n  progressDeadline: 60s\n`,
);
for (const name of [single, ...names]) {
  mkdirSync(join(dir, 'services', name), { recursive: true });
  writeFileSync(
    join(dir, 'services', name, 'ferry.yaml'),
    `service: ${name}\nimage: registry.example.com/bench/${name}\ncommand: ./serve\nport: 8080\nhealth: /healthz\nresources: { cpu: 100m, memory: 64Mi }\ninstances: 2\n`,
  );
}
const env = { KUBECONFIG: kubeconfig, FERRY_STATE: join(dir, 'state.db'), NO_COLOR: '1' };
const deploy = (targets: string[], ...flags: string[]): Sample =>
  run([[ferryBin, ['-C', dir, 'deploy', ...targets, '--env', 'bench', ...flags]]], env);

interface Round {
  round: number;
  loadavg1: number;
  oneMs: number;
  manyMs: number;
  /** CPU time (user + system) of the ferry process */
  oneCpuMs: number;
  manyCpuMs: number;
  ratio: number;
}
const pidsFile = join(root, '.ferry/cluster/pids');
/** CPU ms (user + system) spent so far by the test cluster's processes; NaN when unknown. */
function clusterCpuMs(): number {
  if (!existsSync(pidsFile)) return NaN;
  let ticks = 0;
  for (const line of readFileSync(pidsFile, 'utf8').split('\n')) {
    const pid = line.trim().split(/\s+/)[1];
    if (!pid) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // a process that is gone spent nothing more
    }
  }
  return (ticks * 1000) / 100;
}
/** `sample` with the cluster CPU it cost */
function withCluster(f: () => Sample): Sample & { clusterCpuMs: number } {
  const c0 = clusterCpuMs();
  const s = f();
  return { ...s, clusterCpuMs: clusterCpuMs() - c0 };
}
/** the peer: every service's rendered objects applied and waited for, all at once */
function kubectlAll(v: string): Sample {
  const files = names.map((n) => {
    const file = join(dir, `${n}-${v}.yaml`);
    writeFileSync(
      file,
      execFileSync(ferryBin, ['-C', dir, 'render', `${n}:${v}`, '--env', 'bench'], {
        env: { ...process.env, ...env },
      }),
    );
    return [n, file] as const;
  });
  const script = files
    .map(
      ([n, f]) =>
        `( "$K" apply --server-side --force-conflicts --field-manager=ferry -f ${f} >/dev/null && "$K" rollout status -n ${namespace} deployment/${n} --timeout=120s >/dev/null ) &`,
    )
    .join('\n');
  return run([['bash', ['-c', `set -e\n${script}\nfor j in $(jobs -p); do wait "$j"; done`]]], {
    ...env,
    K: kubectl,
  });
}
interface Side {
  wallMs: number;
  cpuMs: number;
  clusterCpuMs: number;
}
const peer: Side[] = [];
const sides: { one: Side; many: Side }[] = [];
const results: Round[] = [];
try {
  // first releases (namespace, Services, first rollouts): not measured
  deploy([`${single}:0.0.0`]);
  deploy(
    names.map((n) => `${n}:0.0.0`),
    '--parallel',
    String(parallel),
  );
  for (let i = 1; i <= rounds; i++) {
    const v = `0.0.${i}`;
    const load = loadavg()[0] ?? NaN;
    // alternate which side goes first, so a drifting load does not favour one
    const first = i % 2 === 1 ? 'one' : 'many';
    let one: Side = { wallMs: NaN, cpuMs: NaN, clusterCpuMs: NaN };
    let many: Side = { wallMs: NaN, cpuMs: NaN, clusterCpuMs: NaN };
    for (const side of first === 'one' ? ['one', 'many'] : ['many', 'one']) {
      if (side === 'one') one = withCluster(() => deploy([`${single}:${v}`]));
      else
        many = withCluster(() =>
          deploy(
            names.map((n) => `${n}:${v}`),
            '--parallel',
            String(parallel),
          ),
        );
    }
    // the peer rolls the same services out to the next version (ferry's next round moves on again)
    peer.push(withCluster(() => kubectlAll(`${v}-k`)));
    sides.push({ one, many });
    results.push({
      round: i,
      loadavg1: load,
      oneMs: one.wallMs,
      manyMs: many.wallMs,
      oneCpuMs: one.cpuMs,
      manyCpuMs: many.cpuMs,
      ratio: many.wallMs / one.wallMs,
    });
    process.stderr.write(
      `round ${i}: 1 service ${one.wallMs.toFixed(0)} ms, ${count} services ${many.wallMs.toFixed(0)} ms\n`,
    );
  }
} finally {
  execFileSync(kubectl, ['--kubeconfig', kubeconfig, 'delete', 'namespace', namespace, '--wait=false'], {
    stdio: 'ignore',
  });
  rmSync(dir, { recursive: true, force: true });
}

const oneMedian = median(results.map((r) => r.oneMs));
const manyMedian = median(results.map((r) => r.manyMs));
const peerMedian = median(peer.map((r) => r.wallMs));
const med = (xs: number[]) => median(xs).toFixed(0);
console.log(`rounds: ${rounds}, ${count} services with --parallel ${parallel} vs 1 service, whole processes`);
console.log(
  `| round | load avg (1 min) | 1 service ms | ${count} services ms | ratio | 1 service CPU ms | ${count} services CPU ms | kubectl × ${count} at once ms |`,
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
results.forEach((r, i) =>
  console.log(
    `| ${r.round} | ${r.loadavg1.toFixed(1)} | ${r.oneMs.toFixed(0)} | ${r.manyMs.toFixed(0)} | ${r.ratio.toFixed(2)}× | ${r.oneCpuMs.toFixed(0)} | ${r.manyCpuMs.toFixed(0)} | ${peer[i]?.wallMs.toFixed(0)} |`,
  ),
);
console.log(
  `\nmedian: 1 service ${oneMedian.toFixed(0)} ms, ${count} services ${manyMedian.toFixed(0)} ms → ${(manyMedian / oneMedian).toFixed(2)}× (target ≤ 2×)`,
);
console.log(
  `the peer, kubectl apply + rollout status of the same ${count} services all at once: ${peerMedian.toFixed(0)} ms (ferry ${(manyMedian / peerMedian).toFixed(2)}× of it)`,
);
console.log(
  `test cluster CPU (its own processes), medians: 1 service ${med(sides.map((s) => s.one.clusterCpuMs))} ms, ${count} services by ferry ${med(sides.map((s) => s.many.clusterCpuMs))} ms, by kubectl ${med(peer.map((s) => s.clusterCpuMs))} ms, on ${cpus().length} cores`,
);
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(
  join(root, 'bench/results/parallel.json'),
  `${JSON.stringify({ at: new Date().toISOString(), rounds, count, parallel, oneMedian, manyMedian, ratio: manyMedian / oneMedian, peerMedian, results, sides, peer }, null, 2)}\n`,
);
