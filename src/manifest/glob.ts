// Expands the platform file's `services:` entries: folder paths or globs with *, ? and **.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function hasGlob(pattern: string): boolean {
  return /[*?[\]{}]/.test(pattern);
}

/** One path segment's glob (*, ?) as an anchored regular expression. */
export function segmentRegex(seg: string): RegExp {
  let re = '';
  for (const ch of seg) {
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules')
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** Directories under `root` matching `pattern` (relative, "/"-separated), sorted, absolute. */
export function globDirs(root: string, pattern: string): string[] {
  const segs = pattern.split('/').filter((s) => s !== '' && s !== '.');
  const out = new Set<string>();
  const walk = (dir: string, i: number, depth: number): void => {
    if (depth > 32) return;
    if (i === segs.length) {
      out.add(dir);
      return;
    }
    const seg = segs[i] ?? '';
    if (seg === '**') {
      walk(dir, i + 1, depth);
      for (const d of subdirs(dir)) walk(join(dir, d), i, depth + 1);
    } else if (seg === '..') {
      walk(join(dir, '..'), i + 1, depth);
    } else if (!hasGlob(seg)) {
      const next = join(dir, seg);
      try {
        if (statSync(next).isDirectory()) walk(next, i + 1, depth);
      } catch {
        // missing: no match
      }
    } else {
      const re = segmentRegex(seg);
      for (const d of subdirs(dir)) if (re.test(d)) walk(join(dir, d), i + 1, depth + 1);
    }
  };
  walk(root, 0, 0);
  return [...out].sort();
}
