// How load + validate + render grows with the fleet: a generated repository of N services, each
// in 10 environments (bench/repo.ts), loaded from disk and validated (loadApp: every file, the
// cross-file checks), then every environment resolved (listWorkloads) and rendered for
// Kubernetes as YAML (what `ferry render --env <e>` prints), for N = 50, 500 and 5,000. Each size
// runs in a fresh process (its own heap and peak RSS), best of `rounds` for time. Target: linear
// — no 10× step of input may cost more than 2 × 10× in time or in memory above the baseline.
// Prints a table, writes bench/results/fleet.json.
// Run: npx tsx bench/fleet.ts [rounds=3] [sizes=50,500,5000]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { generateRepo } from './repo.ts';

const ENVIRONMENTS = 10;

interface Measure {
  services: number;
  serviceRenders: number;
  loadMs: number;
  renderMs: number;
  totalMs: number;
  /** CPU time (user + system) of the total, which a busy machine distorts less */
  cpuMs: number;
  /** heap in use after loading (the validated app kept for rendering), MB */
  heapAfterLoadMb: number;
  maxRssMb: number;
  yamlBytes: number;
}

async function measure(dir: string, rounds: number): Promise<Measure> {
  const [{ loadApp }, { listWorkloads }, { renderEnvironment }, { toYamlStream }] = await Promise.all([
    import('../src/manifest/load.ts'),
    import('../src/model/resolve.ts'),
    import('../src/render/kubernetes/target.ts'),
    import('../src/render/serialize.ts'),
  ]);
  let best: Measure | undefined;
  for (let r = 0; r < rounds; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const app = await loadApp(dir);
    const t1 = performance.now();
    const heapAfterLoadMb = process.memoryUsage().heapUsed / 2 ** 20;
    let serviceRenders = 0;
    let yamlBytes = 0;
    for (const env of Object.keys(app.platform.manifest.environments)) {
      const workloads = listWorkloads(app, env, '1.0.0');
      const first = workloads[0];
      if (!first) continue;
      yamlBytes += toYamlStream(renderEnvironment(first.environment, workloads, { jobs: true })).length;
      serviceRenders += workloads.length;
    }
    const t2 = performance.now();
    const cpu = process.cpuUsage(c0);
    const m: Measure = {
      cpuMs: (cpu.user + cpu.system) / 1000,
      services: app.services.length,
      serviceRenders,
      loadMs: t1 - t0,
      renderMs: t2 - t1,
      totalMs: t2 - t0,
      heapAfterLoadMb,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      yamlBytes,
    };
    if (!best || m.totalMs < best.totalMs) best = m;
  }
  return best as Measure;
}

const root = fileURLToPath(new URL('..', import.meta.url));
if (process.argv[2] === '--measure') {
  const m = await measure(process.argv[3] as string, Number(process.argv[4] ?? 1));
  process.stdout.write(`${JSON.stringify(m)}\n`);
} else {
  const rounds = Number(process.argv[2] ?? 3);
  const sizes = (process.argv[3] ?? '50,500,5000').split(',').map(Number);
  const load0 = loadavg();
  const rows: Measure[] = [];
  for (const n of sizes) {
    const dir = mkdtempSync(join(tmpdir(), `ferry-fleet-${n}-`));
    try {
      generateRepo(dir, n, { environments: ENVIRONMENTS });
      const out = execFileSync(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(import.meta.url), '--measure', dir, String(rounds)],
        { encoding: 'utf8', maxBuffer: 1 << 20, cwd: root },
      );
      rows.push(JSON.parse(out) as Measure);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const load1 = loadavg();
  console.log(
    `${ENVIRONMENTS} environments per service, best of ${rounds}; ${cpus().length} CPUs, Node ${process.version}; ` +
      `load average ${load0.map((l) => l.toFixed(1)).join(' ')} at the start, ${load1.map((l) => l.toFixed(1)).join(' ')} at the end\n`,
  );
  console.log(
    '| services | service-renders | load + validate ms | resolve + render + YAML ms | total ms (CPU ms) | per service-render µs | heap after load MB | peak RSS MB | step vs linear (time, heap) |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  rows.forEach((m, i) => {
    const prev = rows[i - 1];
    const k = prev ? m.services / prev.services : 1;
    const step = prev
      ? `${(m.totalMs / prev.totalMs / k).toFixed(2)}×, ${(m.heapAfterLoadMb / prev.heapAfterLoadMb / k).toFixed(2)}×`
      : '–';
    console.log(
      `| ${m.services} | ${m.serviceRenders} | ${m.loadMs.toFixed(0)} | ${m.renderMs.toFixed(0)} | ${m.totalMs.toFixed(0)} (${m.cpuMs.toFixed(0)}) | ${((m.totalMs * 1000) / m.serviceRenders).toFixed(0)} | ${m.heapAfterLoadMb.toFixed(0)} | ${m.maxRssMb.toFixed(0)} | ${step} |`,
    );
  });
  const grow = (f: (m: Measure) => number) =>
    rows.slice(1).map((m, n) => f(m) / f(rows[n] as Measure) / (m.services / (rows[n] as Measure).services));
  const time = grow((m) => m.totalMs);
  const heap = grow((m) => m.heapAfterLoadMb);
  const x = (v: number[]) => v.map((s) => `${s.toFixed(2)}×`).join(', ');
  console.log(
    `\nper 10× of input, beyond linear — time: ${x(time)}; heap: ${x(heap)} (target ≤ 2×: ${[...time, ...heap].every((s) => s <= 2) ? 'met' : 'not met'})`,
  );
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(
    join(root, 'bench/results/fleet.json'),
    `${JSON.stringify({ at: new Date().toISOString(), rounds, environments: ENVIRONMENTS, loadavg: { start: load0, end: load1 }, rows }, null, 2)}\n`,
  );
}
