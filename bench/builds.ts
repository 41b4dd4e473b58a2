// Two or more builds of ferry side by side — e.g. this checkout and an older commit unpacked and
// built elsewhere (`git archive <commit> | tar -x -C /tmp/old && cd /tmp/old && ln -s
// <checkout>/node_modules && npx tsc -p tsconfig.build.json`) — to say what a change bought:
// `ferry --help`, `render examples/anna`, `status` and `deploy` (a 4-replica service, a new image
// each time, until Ready) on the local cluster, as whole processes, alternating builds every
// round, medians of wall and CPU time. A build is `<label>=<command>`, the command being how to
// start that build's CLI (`node /tmp/old/dist/cli/main.js`, `bin/ferry`, …).
// Usage: npx tsx bench/builds.ts [rounds=7] 'old=node /tmp/old/dist/cli/main.js' 'new=bin/ferry' …
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, run, type Sample } from './processes.ts';
import { generateRepo } from './repo.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const rounds = /^\d+$/.test(args[0] ?? '') ? Number(args.shift()) : 7;
const builds = args.map((a) => {
  const i = a.indexOf('=');
  const [bin = '', ...pre] = a.slice(i + 1).split(' ');
  return { label: a.slice(0, i), bin: bin.startsWith('/') || bin === 'node' ? bin : join(root, bin), pre };
});
if (builds.length < 2) throw new Error("give two builds or more: 'label=command' …");
const kubeconfig = process.env.FERRY_TEST_KUBECONFIG ?? join(root, '.ferry/cluster/kubeconfig');
if (!existsSync(kubeconfig)) throw new Error(`no cluster: ${kubeconfig} (npm run cluster:up)`);

const work = mkdtempSync(join(tmpdir(), 'ferry-bench-builds-'));
const namespace = `ferry-builds-${process.pid}`;
const app = join(work, 'app');
generateRepo(app, 1, { namespace, instances: 4, envName: 'bench' });
const env = { NO_COLOR: '1', KUBECONFIG: kubeconfig, FERRY_STATE: join(work, 'state.db') };
const anna = join(root, 'examples/anna');
let version = 0;
const commands: [string, () => string[]][] = [
  ['--help', () => ['--help']],
  ['render examples/anna --env test', () => ['render', '-C', anna, '--env', 'test']],
  ['status (1 service)', () => ['status', '-C', app]],
  [
    'deploy (4 replicas, new image → Ready)',
    () => ['deploy', `svc-0:1.0.${version++}`, '-C', app, '--env', 'bench'],
  ],
];

const samples = new Map<string, Sample[]>();
const cmdOf = (b: (typeof builds)[number], a: string[]): [string, string[]] => [b.bin, [...b.pre, ...a]];
run([cmdOf(builds[0]!, commands[3]![1]())], env); // the first release, not measured
const load0 = loadavg();
for (let r = 0; r < rounds; r++) {
  for (const [name, argv] of commands) {
    for (let i = 0; i < builds.length; i++) {
      const b = builds[(i + r) % builds.length]!;
      const key = `${name}\u0000${b.label}`;
      samples.set(key, [...(samples.get(key) ?? []), run([cmdOf(b, argv())], env)]);
    }
  }
}
const load1 = loadavg();
rmSync(work, { recursive: true, force: true });
const kubectl = process.env.FERRY_TEST_KUBECTL ?? join(root, '.ferry/cluster/bin/kubectl');
execFileSync(kubectl, ['--kubeconfig', kubeconfig, 'delete', 'namespace', namespace, '--wait=false'], {
  stdio: 'ignore',
});

console.log(
  `${rounds} rounds, ${cpus().length} CPUs, Node ${process.version}; load average ${load0.map((x) => x.toFixed(1)).join(' ')} at the start, ${load1.map((x) => x.toFixed(1)).join(' ')} at the end\n`,
);
console.log(`| command | ${builds.map((b) => `${b.label} ms (CPU)`).join(' | ')} |`);
console.log(`| --- | ${builds.map(() => '---:').join(' | ')} |`);
for (const [name] of commands) {
  const cells = builds.map((b) => {
    const s = samples.get(`${name}\u0000${b.label}`) ?? [];
    return `${median(s.map((x) => x.wallMs)).toFixed(0)} (${median(s.map((x) => x.cpuMs)).toFixed(0)})`;
  });
  console.log(`| ${name} | ${cells.join(' | ')} |`);
}
