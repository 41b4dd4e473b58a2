// The report must be true: a line that says a source field was "mapped" to a ferry field names a
// field the manifest has (with a value). `untrueLines` lists the lines that are not — the
// import-truth property test runs it over the whole corpus and generated stacks. A `to` in
// parentheses ("(Deployment)", "(format)") speaks of what ferry renders, not of a manifest field.
import type { ServiceManifest } from '../manifest/schema.ts';
import { isRecord } from './source.ts';
import type { ImportResult } from './types.ts';

function nonEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isRecord(v)) return Object.keys(v).length > 0;
  return true;
}

/** The values at a report path: `env.X`, `crons.<name>.schedule`, `routes[].allow`, `volumes.<name>`,
 *  `files[].path`, `crons[0].command`, `ports` (port or ports). */
export function valuesAt(m: ServiceManifest, path: string): unknown[] {
  if (path === 'ports' || path === 'port') return [m.port ?? m.ports].filter(nonEmpty);
  const segs = path.split('.').flatMap((s) => {
    const mm = /^([^[\]]*)((?:\[\d*\])*)$/.exec(s);
    if (!mm) return [s];
    const idx = [...mm[2]!.matchAll(/\[(\d*)\]/g)].map((x) => `[${x[1]}]`);
    return [...(mm[1] ? [mm[1]] : []), ...idx];
  });
  let cur: unknown[] = [m];
  for (const seg of segs) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (seg === '[]' && Array.isArray(v)) next.push(...v);
      else if (/^\[\d+\]$/.test(seg) && Array.isArray(v)) next.push(v[Number(seg.slice(1, -1))]);
      else if (Array.isArray(v)) next.push(...v.filter((x) => isRecord(x) && x.name === seg));
      else if (isRecord(v)) next.push(v[seg]);
    }
    cur = next.filter((x) => x !== undefined);
  }
  return cur.filter(nonEmpty);
}

/** Report lines that say "mapped" to a field the service's manifest does not have. */
export function untrueLines(r: ImportResult): string[] {
  const byName = new Map(r.services.map((s) => [s.manifest.service, s.manifest]));
  const out: string[] = [];
  for (const e of r.report) {
    if (e.outcome !== 'mapped' || e.to === undefined || e.to.startsWith('(')) continue;
    const manifests =
      e.service === '' ? [...byName.values()] : [byName.get(e.service)].filter((x) => x !== undefined);
    if (manifests.length === 0) {
      out.push(`${e.path} → ${e.to}: the service "${e.service}" was not imported`);
      continue;
    }
    for (const to of e.to.split(/,\s*/))
      if (!manifests.some((m) => valuesAt(m, to).length > 0))
        out.push(`${e.path} → ${to}: not in the manifest of ${e.service || 'any service'}`);
  }
  return out;
}
