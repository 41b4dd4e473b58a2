// A Procfile: `name: command` lines (a trailing backslash continues a line), as a source document
// whose value is {process: command}, each located at its line.
import type { Location } from '../../errors.ts';
import type { SourceDoc } from '../source.ts';

export function isProcfile(file: string): boolean {
  return /(^|\/)Procfile(\.[\w-]+)?$/.test(file);
}

export function parseProcfile(file: string, text: string): SourceDoc {
  const value: Record<string, string> = {};
  const lines = new Map<string, number>();
  const raw = text.split(/\r?\n/);
  for (let i = 0; i < raw.length; i++) {
    let line = raw[i]!;
    const start = i;
    while (line.endsWith('\\') && i + 1 < raw.length)
      line = `${line.slice(0, -1).trimEnd()} ${raw[++i]!.trim()}`;
    const m = /^([A-Za-z0-9_-]+):\s*(.+)$/.exec(line.trim());
    if (!m || line.trim().startsWith('#')) continue;
    value[m[1]!] = m[2]!.trim();
    lines.set(m[1]!, start + 1);
  }
  const locate = (path: readonly (string | number)[]): Location | undefined => {
    const line = typeof path[0] === 'string' ? lines.get(path[0]) : undefined;
    return { file, line: line ?? 1, col: 1 };
  };
  return { file, index: 0, value, locate };
}
