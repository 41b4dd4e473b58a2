// ferry against the tools it replaces, as whole processes, in one run on the same machine,
// cluster and input, alternating the sides (their order rotates every round), medians:
//   start-up   ferry --help                      vs node -e 0
//   render     ferry render <one service>        vs helm template of the chart `ferry chart` writes
//              ferry render examples/anna        vs helm template of its 3 charts (3 processes)
//              ferry render, 100-service repo    vs 100 helm template processes
//   deploy     ferry deploy (4 replicas → Ready) vs kubectl apply --server-side + rollout status
//                                                 and helm upgrade --install --wait (exported chart)
//   rollback   ferry rollback → Ready            vs kubectl rollout undo + rollout status
//                                                 and helm rollback --wait
// The deploy rows need the local cluster (npm run cluster:up) or FERRY_TEST_KUBECONFIG; helm is
// built by scripts/helm/install.sh. Prints one table (wall medians, CPU medians, ratio, target)
// with the load average, writes bench/results/compare.json.
// Run: npm run build && npx tsx bench/compare.ts [rounds=7] [--no-cluster]
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateRepo } from './repo.ts';
import { median, run, type Sample } from './processes.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const rounds = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 7);
const withCluster = !process.argv.includes('--no-cluster');
const kubeconfig = process.env.FERRY_TEST_KUBECONFIG ?? join(root, '.ferry/cluster/kubeconfig');
const kubectl = process.env.FERRY_TEST_KUBECTL ?? join(root, '.ferry/cluster/bin/kubectl');
const ferry = join(root, 'bin/ferry');
if (!existsSync(join(root, 'dist/ferry.cjs'))) throw new Error('build first: npm run build');

const helm = execFileSync('bash', [join(root, 'scripts/helm/install.sh')], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
})
  .trim()
  .split('\n')
  .pop() as string;

const work = mkdtempSync(join(tmpdir(), 'ferry-compare-'));
const anna = join(root, 'examples/anna');
const env = { NO_COLOR: '1', KUBECONFIG: kubeconfig, FERRY_STATE: join(work, 'state.db') };
const sh = (cmd: string, args: string[]) =>
  execFileSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env } });

/** One side of a row: a label and the processes it runs (each a command line). */
interface Side {
  label: string;
  steps: () => [string, string[]][];
}
interface Row {
  work: string;
  ferry: Side;
  peer: Side;
  /** ferry/peer must be ≤ max, or peer/ferry ≥ minSpeedup */
  max?: number;
  minSpeedup?: number;
}

function helmTemplate(chart: string, name: string, envName: string): [string, string[]] {
  return [
    helm,
    [
      'template',
      name,
      chart,
      '-f',
      join(chart, `values.${envName}.yaml`),
      '--set-string',
      'image.tag=0.0.0-dev',
    ],
  ];
}

// --- inputs: charts of anna and of a generated 100-service repository
const annaCharts = join(work, 'anna-charts');
sh(ferry, ['chart', '-C', anna, '--out', annaCharts]);
const mono = join(work, 'mono');
const monoServices = generateRepo(mono, 100);
const monoCharts = join(work, 'mono-charts');
sh(ferry, ['chart', '-C', mono, '--out', monoCharts]);

const rows: Row[] = [
  {
    work: 'start-up',
    ferry: { label: 'ferry --help', steps: () => [[ferry, ['--help']]] },
    peer: { label: 'node -e 0', steps: () => [[process.execPath, ['-e', '0']]] },
    max: 1.5,
  },
  {
    work: 'render 1 service (anna hcn, test)',
    ferry: {
      label: 'ferry render hcn',
      steps: () => [[ferry, ['render', 'hcn', '-C', anna, '--env', 'test']]],
    },
    peer: {
      label: 'helm template (its chart)',
      steps: () => [helmTemplate(join(annaCharts, 'hcn'), 'hcn', 'test')],
    },
    max: 0.5,
  },
  {
    work: 'render examples/anna, test (3 services)',
    ferry: { label: 'ferry render', steps: () => [[ferry, ['render', '-C', anna, '--env', 'test']]] },
    peer: {
      label: 'helm template × 3',
      steps: () => ['account', 'document', 'hcn'].map((s) => helmTemplate(join(annaCharts, s), s, 'test')),
    },
    max: 0.5,
  },
  {
    work: 'render a 100-service repository, test',
    ferry: { label: 'ferry render', steps: () => [[ferry, ['render', '-C', mono, '--env', 'test']]] },
    peer: {
      label: 'helm template × 100',
      steps: () => monoServices.map((s) => helmTemplate(join(monoCharts, s), s, 'test')),
    },
    minSpeedup: 20,
  },
];

// --- deploy and rollback: one app per side, each in its own namespace
const id = randomBytes(3).toString('hex');
const ns = { ferry: `ferry-cmp-f-${id}`, kubectl: `ferry-cmp-k-${id}`, helm: `ferry-cmp-h-${id}` };
const appOf = (namespace: string) => {
  const dir = join(work, namespace);
  generateRepo(dir, 1, { namespace, instances: 4, envName: 'bench' });
  return dir;
};
const apps = { ferry: appOf(ns.ferry), kubectl: appOf(ns.kubectl), helm: appOf(ns.helm) };
const helmChart = join(work, 'bench-chart');
let version = 0;
const kc = (...args: string[]): [string, string[]] => [kubectl, ['--kubeconfig', kubeconfig, ...args]];
const status = (n: string) => kc('rollout', 'status', 'deployment/svc-0', '-n', n, '--timeout', '120s');
const manifest = (v: string) => {
  const file = join(work, `kubectl-${v}.yaml`);
  writeFileSync(file, sh(ferry, ['render', `svc-0:${v}`, '-C', apps.kubectl, '--env', 'bench', '--no-jobs']));
  return file;
};
const helmUpgrade = (v: string): [string, string[]] => [
  helm,
  [
    'upgrade',
    '--install',
    'svc-0',
    join(helmChart, 'svc-0'),
    '-n',
    ns.helm,
    '--create-namespace',
    '--kubeconfig',
    kubeconfig,
    '-f',
    join(helmChart, 'svc-0', 'values.bench.yaml'),
    '--set-string',
    `image.tag=${v}`,
    '--wait',
    '--timeout',
    '120s',
  ],
];
const ferryDeploy = (v: string): [string, string[]] => [
  ferry,
  ['deploy', `svc-0:${v}`, '-C', apps.ferry, '--env', 'bench'],
];
const ferryRollback: [string, string[]] = [ferry, ['rollback', 'svc-0', '-C', apps.ferry, '--env', 'bench']];

/** The version each round deploys: set before the round's deploy sides run. */
let current = '';
const deploySide: Side = { label: 'ferry deploy', steps: () => [ferryDeploy(current)] };
const rollbackSide: Side = { label: 'ferry rollback', steps: () => [ferryRollback] };
const clusterRows: Row[] = [
  {
    work: 'deploy 4 replicas, new image → Ready',
    ferry: deploySide,
    peer: {
      label: 'kubectl apply + rollout status',
      steps: () => [
        kc('apply', '--server-side', '--force-conflicts', '-f', manifest(current)),
        status(ns.kubectl),
      ],
    },
    max: 1.1,
  },
  {
    work: 'deploy 4 replicas, new image → Ready',
    ferry: deploySide,
    peer: { label: 'helm upgrade --install --wait', steps: () => [helmUpgrade(current)] },
    max: 0.5,
  },
  {
    work: 'rollback → Ready',
    ferry: rollbackSide,
    peer: {
      label: 'kubectl rollout undo + status',
      steps: () => [kc('rollout', 'undo', 'deployment/svc-0', '-n', ns.kubectl), status(ns.kubectl)],
    },
    max: 1.1,
  },
  {
    work: 'rollback → Ready',
    ferry: rollbackSide,
    peer: {
      label: 'helm rollback --wait',
      steps: () => [
        [
          helm,
          ['rollback', 'svc-0', '-n', ns.helm, '--kubeconfig', kubeconfig, '--wait', '--timeout', '120s'],
        ],
      ],
    },
    max: 0.5,
  },
];

type Results = Map<string, Sample[]>;
const results: Results = new Map();
const record = (key: string, s: Sample) => results.set(key, [...(results.get(key) ?? []), s]);
const keyOf = (row: Row, side: Side) => `${row.work}\u0000${side.label}`;
const load0 = loadavg();

/** Runs the sides in an order that rotates with the round, so neither always goes first. */
function alternate(round: number, sides: [string, Side][]): void {
  const order = sides.map((_, i) => sides[(i + round) % sides.length]!);
  for (const [key, side] of order) record(key, run(side.steps(), env));
}

for (let r = 0; r < rounds; r++) {
  for (const row of rows) {
    alternate(r, [
      [keyOf(row, row.ferry), row.ferry],
      [keyOf(row, row.peer), row.peer],
    ]);
  }
}

if (withCluster) {
  if (!existsSync(kubeconfig)) throw new Error(`no cluster: ${kubeconfig} (npm run cluster:up)`);
  sh(ferry, ['chart', 'svc-0', '-C', apps.helm, '--out', helmChart]);
  try {
    // the first release of each side is not measured
    current = `1.0.${version++}`;
    run([ferryDeploy(current)], env, true);
    run(
      [kc('apply', '--server-side', '--force-conflicts', '-f', manifest(current)), status(ns.kubectl)],
      env,
      true,
    );
    run([helmUpgrade(current)], env, true);
    const [dk, dh, rk, rh] = clusterRows as [Row, Row, Row, Row];
    for (let r = 0; r < rounds; r++) {
      current = `1.0.${version++}`;
      alternate(r, [
        [keyOf(dk, deploySide), deploySide],
        [keyOf(dk, dk.peer), dk.peer],
        [keyOf(dh, dh.peer), dh.peer],
      ]);
      alternate(r, [
        [keyOf(rk, rollbackSide), rollbackSide],
        [keyOf(rk, rk.peer), rk.peer],
        [keyOf(rh, rh.peer), rh.peer],
      ]);
    }
    // the rows of one kind share the ferry side's runs: the deploy rows' keys are the same
    // string (same work, same label), as are the rollback rows'
    rows.push(...clusterRows);
  } finally {
    execFileSync(
      kubectl,
      ['--kubeconfig', kubeconfig, 'delete', 'namespace', ns.ferry, ns.kubectl, ns.helm, '--wait=false'],
      {
        stdio: 'ignore',
      },
    );
  }
}
rmSync(work, { recursive: true, force: true });

// --- the table
const load1 = loadavg();
const fmt = (n: number) => n.toFixed(0);
console.log(
  `${rounds} rounds, ${cpus().length} CPUs, Node ${process.version}, helm ${execFileSync(helm, ['version', '--short'], { encoding: 'utf8' }).trim()}; ` +
    `load average ${load0.map((l) => l.toFixed(1)).join(' ')} at the start, ${load1.map((l) => l.toFixed(1)).join(' ')} at the end\n`,
);
console.log('| work | ferry | ms (CPU ms) | peer | ms (CPU ms) | ratio | target | met |');
console.log('| --- | --- | ---: | --- | ---: | ---: | --- | --- |');
const json = [];
for (const row of rows) {
  const f = results.get(keyOf(row, row.ferry)) ?? [];
  const p = results.get(keyOf(row, row.peer)) ?? [];
  const fw = median(f.map((s) => s.wallMs));
  const pw = median(p.map((s) => s.wallMs));
  const ratio = fw / pw;
  const shown = row.minSpeedup !== undefined ? `${(pw / fw).toFixed(1)}× faster` : `${ratio.toFixed(2)}×`;
  const target = row.minSpeedup !== undefined ? `≥ ${row.minSpeedup}× faster` : `≤ ${row.max}×`;
  const met = row.minSpeedup !== undefined ? pw / fw >= row.minSpeedup : ratio <= (row.max ?? Infinity);
  console.log(
    `| ${row.work} | ${row.ferry.label} | ${fmt(fw)} (${fmt(median(f.map((s) => s.cpuMs)))}) | ${row.peer.label} | ${fmt(pw)} (${fmt(median(p.map((s) => s.cpuMs)))}) | ${shown} | ${target} | ${met ? 'yes' : 'no'} |`,
  );
  json.push({
    work: row.work,
    ferry: row.ferry.label,
    peer: row.peer.label,
    ferrySamples: f,
    peerSamples: p,
    ratio,
    met,
  });
}
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(
  join(root, 'bench/results/compare.json'),
  `${JSON.stringify({ at: new Date().toISOString(), rounds, loadavg: { start: load0, end: load1 }, node: process.version, rows: json }, null, 2)}\n`,
);
