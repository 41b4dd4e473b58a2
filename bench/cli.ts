// CLI start-up: wall time of whole `bin/ferry` processes (Node start included), against a bare
// `node -e 0`. Needs `npm run build`. Prints a table and writes bench/results/cli.json.
// Usage: node --import tsx bench/cli.ts [runs=15]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
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

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

const results = cases.map(([name, args]) => {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${name} exited ${r.status}: ${r.stderr.toString()}`);
    times.push(ms);
  }
  times.sort((a, b) => a - b);
  return { name, runs, minMs: times[0] ?? NaN, medianMs: quantile(times, 0.5), p90Ms: quantile(times, 0.9) };
});

const load = loadavg()[0] ?? 0;
console.log(`CLI start-up, ${runs} runs each, load average ${load.toFixed(2)}`);
console.log('| command | min ms | median ms | p90 ms |');
console.log('| --- | ---: | ---: | ---: |');
for (const r of results) {
  console.log(`| ${r.name} | ${r.minMs.toFixed(0)} | ${r.medianMs.toFixed(0)} | ${r.p90Ms.toFixed(0)} |`);
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
