// Who holds a lease, as a process on a host, so a lease left by a killed process on this same
// host can be taken over at once instead of after its expiry: the process is provably gone when
// its pid is free, or taken by a process that started at another time (a reused pid).
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { LeaseOwner } from '../store/types.ts';

/** The start time of a process in clock ticks since boot (Linux), or undefined. */
export function processStart(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = Number(fields[19]);
    return Number.isFinite(start) ? start : undefined;
  } catch {
    return undefined;
  }
}

export function thisProcess(): LeaseOwner {
  return { host: hostname(), pid: process.pid, processStart: processStart(process.pid) };
}

/** True only when `owner` ran on this host and that process is certainly gone. */
export function provablyDead(owner: LeaseOwner | undefined, host: string = hostname()): boolean {
  if (!owner || owner.host !== host) return false;
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
  // the pid is taken: by the holder, unless that process started at another time
  const now = processStart(owner.pid);
  return owner.processStart !== undefined && now !== undefined && now !== owner.processStart;
}
