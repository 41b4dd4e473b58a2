// Positions of key paths in a parsed YAML document, for located error messages.
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { Location } from '../errors.ts';

/** A key path into a parsed file: ['environments', 'prod', 'instances'] or ['crons', 0, 'schedule']. */
export type KeyPath = readonly (string | number)[];
/** Where a key path sits in its file (the nearest existing parent when the key is missing). */
export type Locate = (path: KeyPath, at?: 'value' | 'key') => Location | undefined;

/** "environments.prod.instances", "crons[0].schedule" */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else {
      const s = String(p);
      const plain = /^[A-Za-z_$][-\w$]*$/.test(s);
      out += plain ? (out === '' ? s : `.${s}`) : `[${JSON.stringify(s)}]`;
    }
  }
  return out;
}

export function makeLocate(doc: Document, lineCounter: LineCounter, file: string): Locate {
  const at = (offset: number | undefined): Location | undefined => {
    if (offset === undefined) return undefined;
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col };
  };
  const rangeOf = (n: unknown): number | undefined =>
    n !== null && typeof n === 'object' && 'range' in n && Array.isArray(n.range)
      ? (n.range[0] as number)
      : undefined;

  return (path, where = 'value') => {
    let node: unknown = doc.contents;
    // the key node of the last pair we stepped through: where a missing key's parent is
    let lastKey: unknown = undefined;
    for (let i = 0; i < path.length; i++) {
      if (isAlias(node)) node = node.resolve(doc);
      const seg = path[i];
      let next: unknown = undefined;
      let key: unknown = undefined;
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => isPair(p) && (isScalar(p.key) ? String(p.key.value) === String(seg) : p.key === seg),
        );
        if (pair) {
          next = pair.value ?? pair.key;
          key = pair.key;
        }
      } else if (isSeq(node) && typeof seg === 'number') {
        next = node.items[seg];
      }
      if (next === undefined) {
        // missing: point at the parent key (or the parent node when it is a list item / the root)
        return at(rangeOf(lastKey) ?? rangeOf(node) ?? 0);
      }
      if (i === path.length - 1 && where === 'key' && key !== undefined) return at(rangeOf(key));
      lastKey = key ?? next;
      node = next;
    }
    return at(rangeOf(node as Node | null) ?? 0);
  };
}
