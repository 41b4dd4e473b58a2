// CLI start-up: wall time of whole `bin/ferry` processes (Node start included), against a bare
// `node -e 0`, and each process's CPU time (user + system, from /proc), which a busy machine
// distorts less. One warm-up run, then `runs` runs of each command. Needs `npm run build`.
// Prints a table and writes bench/results/cli.json.
// Usage: npx tsx bench/cli.ts [runs=20]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = new URL('..', import.meta.url).pathname;
const runs = Number(process.argv[2] ?? 20);
if (!existsSync(join(root, 'dist/cli/main.js'))) {
  console.error('bench/cli: run `npm run build` first');
  process.exit(1);
}

const RENDER = 'ferry render examples/anna --env test';
const cases: [string, string[]][] = [
  ['node -e 0 (baseline)', ['-e', '0']],
  ['ferry --help', ['bin/ferry', '--help']],
  ['ferry validate examples/anna', ['bin/ferry', 'validate', '-C', 'examples/anna']],
  [RENDER, ['bin/ferry', 'render', '-C', 'examples/anna', '--env', 'test']],
];

/** CPU time (user + system, ms) of this process's waited-for children, from /proc (Linux). */
function childrenCpuMs(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // after the command name: state is field 3; cutime and cstime are fields 16 and 17
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

/** One process: wall ms and CPU ms. */
function once(name: string, args: string[]): { wall: number; cpu: number } {
  const cpu0 = childrenCpuMs();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${name} exited ${r.status}: ${r.stderr.toString()}`);
  return { wall, cpu: childrenCpuMs() - cpu0 };
}

interface Stats {
  min: number;
  median: number;
  p90: number;
  max: number;
}

function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? NaN;
  return { min: s[0] ?? NaN, median: at(0.5), p90: at(0.9), max: s[s.length - 1] ?? NaN };
}

once(RENDER, cases[cases.length - 1]![1]); // warm the file-system cache
const results = cases.map(([name, args]) => {
  const samples = Array.from({ length: runs }, () => once(name, args));
  return { name, runs, wallMs: stats(samples.map((x) => x.wall)), cpuMs: stats(samples.map((x) => x.cpu)) };
});

const load = loadavg();
const f = (v: number): string => v.toFixed(0);
console.log(
  `CLI start-up, ${runs} runs each, load average ${load.map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} CPUs`,
);
console.log(
  '| command | wall min ms | wall median ms | wall p90 ms | wall max ms | CPU median ms (user+sys) |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of results) {
  const w = r.wallMs;
  console.log(
    `| ${r.name} | ${f(w.min)} | ${f(w.median)} | ${f(w.p90)} | ${f(w.max)} | ${f(r.cpuMs.median)} |`,
  );
}
console.log(`target: ${RENDER}, median < 300 ms (Node start included)`);
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(
  join(root, 'bench/results/cli.json'),
  `${JSON.stringify({ at: new Date().toISOString(), node: process.version, loadAverage: load, results }, null, 2)}\n`,
);
