// CLI start-up, and what each build step buys: the same commands as whole processes started
// the three ways `npm run build` leaves (bin/ferry takes the first that fits) —
//   tsc       node dist/cli/main.js   (one file per module, as tsc writes them)
//   bundle    node dist/ferry.cjs     (one esbuild file)
//   snapshot  bin/ferry               (Node's start-up snapshot of the bundle, every command loaded)
// — against a bare `node -e 0`, alternating (the order rotates every round), medians of wall and
// CPU time (user + system). Needs `npm run build`. Prints a table, writes bench/results/cli.json.
// Usage: npx tsx bench/cli.ts [rounds=15]
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, run, type Sample } from './processes.ts';
import { generateRepo } from './repo.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const rounds = Number(process.argv[2] ?? 15);
for (const f of ['dist/cli/main.js', 'dist/ferry.cjs', 'dist/ferry.blob']) {
  if (!existsSync(join(root, f))) throw new Error(`bench/cli: ${f} missing; run npm run build`);
}

const work = mkdtempSync(join(tmpdir(), 'ferry-bench-cli-'));
const mono = join(work, 'mono');
generateRepo(mono, 100);
const anna = join(root, 'examples/anna');
const env = { NO_COLOR: '1', FERRY_STATE: join(work, 'state.db') };

const ways: [string, string, string[]][] = [
  ['tsc', process.execPath, [join(root, 'dist/cli/main.js')]],
  ['bundle', process.execPath, [join(root, 'dist/ferry.cjs')]],
  ['snapshot', join(root, 'bin/ferry'), []],
];
const commands: [string, string[]][] = [
  ['--help', ['--help']],
  ['validate examples/anna', ['validate', '-C', anna]],
  ['render examples/anna --env test', ['render', '-C', anna, '--env', 'test']],
  ['render 100 services --env test', ['render', '-C', mono, '--env', 'test']],
  ['history (opens the SQLite store)', ['history', 'account', '-C', anna, '--env', 'test']],
];

const cases: { label: string; way: string; cmd: string; argv: [string, string[]] }[] = [
  { label: 'node -e 0', way: '', cmd: 'baseline', argv: [process.execPath, ['-e', '0']] },
];
for (const [cmd, args] of commands) {
  for (const [way, bin, pre] of ways)
    cases.push({ label: `${way}: ferry ${cmd}`, way, cmd, argv: [bin, [...pre, ...args]] });
}

const samples = new Map<string, Sample[]>(cases.map((c) => [c.label, []]));
for (const c of cases) run([c.argv], env); // warm the file-system cache
const load0 = loadavg();
for (let r = 0; r < rounds; r++) {
  for (let i = 0; i < cases.length; i++) {
    const c = cases[(i + r) % cases.length]!;
    samples.get(c.label)?.push(run([c.argv], env));
  }
}
const load1 = loadavg();
rmSync(work, { recursive: true, force: true });

const med = (label: string, k: keyof Sample) => median((samples.get(label) ?? []).map((s) => s[k]));
const base = med('node -e 0', 'wallMs');
const f = (v: number): string => v.toFixed(0);
console.log(
  `${rounds} rounds, ${cpus().length} CPUs, Node ${process.version}; load average ${load0.map((x) => x.toFixed(1)).join(' ')} at the start, ${load1.map((x) => x.toFixed(1)).join(' ')} at the end\n`,
);
console.log(`node -e 0: ${f(base)} ms (CPU ${f(med('node -e 0', 'cpuMs'))} ms)\n`);
console.log('| command | tsc ms (CPU) | bundle ms (CPU) | snapshot ms (CPU) | snapshot ÷ node -e 0 |');
console.log('| --- | ---: | ---: | ---: | ---: |');
const json = [];
for (const [cmd] of commands) {
  const cell = (way: string) => {
    const l = `${way}: ferry ${cmd}`;
    return `${f(med(l, 'wallMs'))} (${f(med(l, 'cpuMs'))})`;
  };
  const snap = med(`snapshot: ferry ${cmd}`, 'wallMs');
  console.log(
    `| ${cmd} | ${cell('tsc')} | ${cell('bundle')} | ${cell('snapshot')} | ${(snap / base).toFixed(2)}× |`,
  );
  json.push({
    command: cmd,
    ...Object.fromEntries(ways.map(([way]) => [way, samples.get(`${way}: ferry ${cmd}`)])),
  });
}
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(
  join(root, 'bench/results/cli.json'),
  `${JSON.stringify({ at: new Date().toISOString(), node: process.version, rounds, loadavg: { start: load0, end: load1 }, baseline: samples.get('node -e 0'), commands: json }, null, 2)}\n`,
);
