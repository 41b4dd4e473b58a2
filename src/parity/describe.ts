// Short human descriptions of model values, used on both sides of a parity row.
import { formatCpu, formatMemory } from '../model/quantity.ts';
import type { Command, Health, Route } from '../model/types.ts';

export const cpu = (millis: number): string => formatCpu(millis);
export const memory = (bytes: number): string => formatMemory(bytes);

/** A shell command, also when written as `/bin/sh -c <script>` (how it renders and imports back). */
function shellScript(c: Command): string | undefined {
  if (c.kind === 'shell') return c.script;
  const [sh, flag, script, ...rest] = c.argv;
  return sh !== undefined &&
    /^(\/bin\/)?sh$/.test(sh) &&
    flag === '-c' &&
    script !== undefined &&
    rest.length === 0
    ? script
    : undefined;
}

export function health(h: Health | undefined): string {
  if (!h) return 'none';
  const a = h.action;
  const what =
    a.kind === 'http'
      ? `http ${a.path} on ${String(a.port)}`
      : a.kind === 'tcp'
        ? `tcp ${String(a.port)}`
        : `exec ${shellScript(a.command) ?? (a.command.kind === 'shell' ? a.command.script : a.command.argv.join(' '))}`;
  return `${what} every ${h.periodSeconds}s, ${h.failureThreshold} failures`;
}

export function route(r: Route): string {
  return `${r.host}${r.path}${r.public ? '' : ' (internal)'}`;
}

export function list(items: readonly string[]): string {
  return items.length === 0 ? '—' : items.join(', ');
}
