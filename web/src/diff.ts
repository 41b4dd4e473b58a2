// The difference between two releases' objects (as the API gives them, Secret values already
// redacted), object by object, as unified diffs of their sorted JSON.
import { createTwoFilesPatch } from 'diff';
import type { KObject } from './types.ts';

function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v as Record<string, unknown>)
        .sort()
        .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
    );
  return v;
}

const text = (o: KObject | undefined) => (o ? `${JSON.stringify(sorted(o), null, 2)}\n` : '');
const key = (o: KObject) => `${o.kind}/${o.metadata.name}`;

export function objectDiff(
  before: readonly KObject[],
  after: readonly KObject[],
): { name: string; diff: string }[] {
  const b = new Map(before.map((o) => [key(o), o]));
  const a = new Map(after.map((o) => [key(o), o]));
  const out: { name: string; diff: string }[] = [];
  for (const k of [...new Set([...b.keys(), ...a.keys()])].sort()) {
    const l = text(b.get(k));
    const r = text(a.get(k));
    if (l !== r)
      out.push({
        name: k,
        diff: createTwoFilesPatch(`before/${k}`, `after/${k}`, l, r, '', '', { context: 3 }),
      });
  }
  return out;
}
