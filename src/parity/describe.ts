// Short human descriptions of model values, used on both sides of a parity row.
import { formatCpu, formatMemory } from '../model/quantity.ts';
import type { Health, Route } from '../model/types.ts';

export const cpu = (millis: number): string => formatCpu(millis);
export const memory = (bytes: number): string => formatMemory(bytes);

export function health(h: Health | undefined): string {
  if (!h) return 'none';
  const a = h.action;
  const what =
    a.kind === 'http'
      ? `http ${a.path} on ${String(a.port)}`
      : a.kind === 'tcp'
        ? `tcp ${String(a.port)}`
        : `exec ${a.command.kind === 'shell' ? a.command.script : a.command.argv.join(' ')}`;
  return `${what} every ${h.periodSeconds}s, ${h.failureThreshold} failures`;
}

export function route(r: Route): string {
  return `${r.host}${r.path}${r.public ? '' : ' (internal)'}`;
}

export function list(items: readonly string[]): string {
  return items.length === 0 ? '—' : items.join(', ');
}
