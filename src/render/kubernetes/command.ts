// How a manifest command becomes a container's command/args.
import type { Command } from '../../model/types.ts';

/** Shell form runs through /bin/sh -c (like Marathon's cmd); exec form runs as written. */
export function argv(cmd: Command): string[] {
  return cmd.kind === 'shell' ? ['/bin/sh', '-c', cmd.script] : [...cmd.argv];
}

/**
 * The container's command and args. With a shell command, `args` reach the script as $1, $2…
 * ("sh" is passed as $0). Without a command the image's entrypoint runs with `args`.
 */
export function containerCommand(
  cmd: Command | undefined,
  args: readonly string[] | undefined,
): { command?: string[]; args?: string[] } {
  const out: { command?: string[]; args?: string[] } = {};
  if (cmd) out.command = cmd.kind === 'shell' && args?.length ? [...argv(cmd), 'sh'] : argv(cmd);
  if (args?.length) out.args = [...args];
  return out;
}
