// CLI start-up: wall time of whole `bin/ferry` processes (Node start included), against a bare
// `node -e 0`. Needs `npm run build`. Prints a table and writes bench/results/cli.json.
// Usage: node --import tsx bench/cli.ts [runs=15]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const runs = Number(process.argv[2] ?? 15);
if (!existsSync(join(root, 'dist/cli/main.js'))) {
  console.error('bench/cli: run `npm run build` first');
  process.exit(1);
}

const cases: [string, string[]][] = [
  ['node -e 0 (baseline)', ['-e', '0']],
  ['ferry --help', ['bin/ferry', '--help']],
  ['ferry validate examples/anna', ['bin/ferry', 'validate', '-C', 'examples/anna']],
  ['ferry render examples/anna --env test', ['bin/ferry', 'render', '-C', 'examples/anna', '--env', 'test']],
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

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

const results = cases.map(([name, args]) => {
  const times: number[] = [];
  const cpu0 = childrenCpuMs();
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${name} exited ${r.status}: ${r.stderr.toString()}`);
    times.push(ms);
  }
  const cpuMs = (childrenCpuMs() - cpu0) / runs;
  times.sort((a, b) => a - b);
  return {
    name,
    runs,
    minMs: times[0] ?? NaN,
    medianMs: quantile(times, 0.5),
    p90Ms: quantile(times, 0.9),
    cpuMs,
  };
});

const load = loadavg()[0] ?? 0;
console.log(`CLI start-up, ${runs} runs each, load average ${load.toFixed(2)}`);
console.log('| command | wall min ms | wall median ms | wall p90 ms | CPU ms (user+sys, mean) |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const r of results) {
  console.log(
    `| ${r.name} | ${r.minMs.toFixed(0)} | ${r.medianMs.toFixed(0)} | ${r.p90Ms.toFixed(0)} | ${r.cpuMs.toFixed(0)} |`,
  );
}
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(
  join(root, 'bench/results/cli.json'),
  JSON.stringify(
    { at: new Date().toISOString(), node: process.version, loadAverage: load, results },
    null,
    2,
  ),
);
