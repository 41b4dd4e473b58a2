// entrypoint → command, command → args. compose `entrypoint` replaces the image ENTRYPOINT
// (Kubernetes `command`); compose `command` replaces CMD (Kubernetes `args`). ferry keeps the split.
import type { FieldMapper } from '../context.ts';
import { splitWords } from '../shellwords.ts';

export function toCommand(v: unknown): string[] | undefined {
  if (typeof v === 'string') return splitWords(v);
  if (Array.isArray(v)) return v.map(String);
  return undefined;
}

export const mapCommand: FieldMapper = (ctx, m) => {
  const { svc, report, name, at } = ctx;
  const entry = toCommand(svc.entrypoint);
  const cmd = toCommand(svc.command);
  if (entry !== undefined && entry.length > 0) {
    m.command = entry;
    report.mapped(name, at('entrypoint'), 'command', 'exec form (the image ENTRYPOINT is replaced)');
  } else if (svc.entrypoint !== undefined) report.dropped(name, at('entrypoint'), 'empty entrypoint');
  if (cmd !== undefined && cmd.length > 0) {
    m.args = cmd;
    report.mapped(
      name,
      at('command'),
      'args',
      typeof svc.command === 'string' ? 'split into words like compose does' : 'exec form',
    );
  } else if (svc.command !== undefined) report.dropped(name, at('command'), 'empty command');
};
