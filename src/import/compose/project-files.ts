// The files a compose project points at, read before mapping (mappers are synchronous): bind
// mount sources, and the `file:` of configs and secrets. Relative paths are read next to the first
// compose file; absolute ones are host paths on the old nodes, not on this machine. The content
// of a secret's file is never read (it must not end up in ferry.yaml).
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { isRecord } from '../source.ts';

/** Config files up to this size are written into ferry.yaml (files[].content). */
export const CONTENT_LIMIT = 64 * 1024;

export type ProjectFile =
  | {
      kind: 'file';
      bytes: number;
      /** UTF-8 text within CONTENT_LIMIT, when read */ text: string | undefined;
    }
  | { kind: 'dir' }
  | { kind: 'missing' }
  /** an absolute (or ~) path: it is on the old platform's nodes */
  | { kind: 'host' };

export function isHostPath(p: string): boolean {
  return isAbsolute(p) || p.startsWith('~');
}

async function readOne(p: string, dir: string, content: boolean): Promise<ProjectFile> {
  if (isHostPath(p)) return { kind: 'host' };
  try {
    const full = resolve(dir, p);
    const st = await stat(full);
    if (st.isDirectory()) return { kind: 'dir' };
    if (!content || st.size > CONTENT_LIMIT) return { kind: 'file', bytes: st.size, text: undefined };
    const buf = await readFile(full);
    const text = buf.toString('utf8');
    return {
      kind: 'file',
      bytes: st.size,
      text: text.includes('\uFFFD') || text.includes('\0') ? undefined : text,
    };
  } catch {
    return { kind: 'missing' };
  }
}

/** A bind mount's source as written, or undefined when the volume is not a bind mount. */
export function bindSource(v: unknown): string | undefined {
  if (typeof v === 'string') {
    const parts = v.split(':');
    const source = parts[0] ?? '';
    return parts.length > 1 && (/^[./~]/.test(source) || source.includes('/')) ? source : undefined;
  }
  return isRecord(v) && v.type === 'bind' && typeof v.source === 'string' ? v.source : undefined;
}

export async function readProjectFiles(
  project: Record<string, unknown>,
  dir: string,
): Promise<Map<string, ProjectFile>> {
  const wanted = new Map<string, boolean>();
  const services = isRecord(project.services) ? project.services : {};
  for (const svc of Object.values(services))
    if (isRecord(svc) && Array.isArray(svc.volumes))
      for (const v of svc.volumes) {
        const source = bindSource(v);
        if (source !== undefined) wanted.set(source, true);
      }
  for (const [kind, content] of [
    ['configs', true],
    ['secrets', false],
  ] as const) {
    const defs = isRecord(project[kind]) ? project[kind] : {};
    for (const def of Object.values(defs))
      if (isRecord(def) && typeof def.file === 'string')
        wanted.set(def.file, (wanted.get(def.file) ?? false) || content);
  }
  const out = new Map<string, ProjectFile>();
  for (const [p, content] of wanted) out.set(p, await readOne(p, dir, content));
  return out;
}
