// bench/cli-start: wall time of `bin/ferry render -C examples/anna --env test`, Node start
// included, run 20 times (after `npm run build`). Prints min / median / p90 / max.
// Run: npx tsx bench/cli-start.ts [runs]   — writes bench/results/cli-start.json
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = fileURLToPath(new URL('../', import.meta.url));
const RUNS = Number(process.argv[2] ?? 20);
const args = ['bin/ferry', 'render', '-C', 'examples/anna', '--env', 'test'];

if (!existsSync(`${root}dist/cli/main.js`)) {
  console.error('bench/cli-start: run `npm run build` first');
  process.exit(1);
}

/** CPU time (user + system, ms) of this process's waited-for children, from /proc (Linux). */
function childrenCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  // after "pid (comm) ": field 3 is state; cutime and cstime are fields 16 and 17 (1-based)
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
}

const cpuTimes: number[] = [];

function once(argv: string[]): number {
  const cpuBefore = childrenCpuMs();
  const start = performance.now();
  const r = spawnSync(process.execPath, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
  cpuTimes.push(childrenCpuMs() - cpuBefore);
  return ms;
}

function stats(xs: number[]): { min: number; median: number; p90: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  return { min: s[0]!, median: at(0.5), p90: at(0.9), max: s[s.length - 1]! };
}

once(args); // warm the file-system cache
cpuTimes.length = 0;
const node = stats(Array.from({ length: RUNS }, () => once(['-e', '0'])));
const nodeCpu = stats(cpuTimes.splice(0));
const render = stats(Array.from({ length: RUNS }, () => once(args)));
const renderCpu = stats(cpuTimes.splice(0));

const row = (label: string, x: ReturnType<typeof stats>): string =>
  `| ${label.padEnd(44)} | ${[x.min, x.median, x.p90, x.max].map((v) => v.toFixed(0).padStart(6)).join(' | ')} |`;
console.log(`bench/cli-start: ${RUNS} runs each, wall time in ms`);
console.log('');
console.log(`| ${'command'.padEnd(44)} |    min | median |    p90 |    max |`);
console.log(`|${'-'.repeat(46)}|-------:|-------:|-------:|-------:|`);
console.log(row('node -e 0 (Node start alone)', node));
console.log(row(args.join(' '), render));
console.log(row('  CPU time (user+sys) of node -e 0', nodeCpu));
console.log(row('  CPU time (user+sys) of ferry render', renderCpu));
console.log('');
console.log(
  `load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} on ${cpus().length} CPUs`,
);
console.log(`target: median < 300 ms (incl. Node start)`);

mkdirSync(`${root}bench/results`, { recursive: true });
writeFileSync(
  `${root}bench/results/cli-start.json`,
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, runs: RUNS, command: args.join(' '), nodeStart: node, render, nodeCpu, renderCpu, loadavg: loadavg() }, null, 2)}\n`,
);
