// Whole processes, timed: wall time, and the CPU time (user + system) of the waited-for children
// from /proc/self/stat (Linux; NaN elsewhere), which a busy machine distorts less.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Sample {
  wallMs: number;
  cpuMs: number;
}

/** CPU time (user + system, ms) of this process's waited-for children. */
export function childrenCpuMs(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // after the command name: state is field 3; cutime and cstime are fields 16 and 17
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

/** Runs the processes one after another; any exit code but 0 is an error. */
export function run(
  steps: readonly [string, readonly string[]][],
  env: NodeJS.ProcessEnv = {},
  quiet = false,
): Sample {
  const cpu0 = childrenCpuMs();
  const t0 = process.hrtime.bigint();
  for (const [cmd, args] of steps) {
    const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) {
      throw new Error(
        `${cmd} ${args.join(' ')} exited ${r.status}${quiet ? '' : `: ${r.stderr.toString()}`}`,
      );
    }
  }
  return { wallMs: Number(process.hrtime.bigint() - t0) / 1e6, cpuMs: childrenCpuMs() - cpu0 };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}
