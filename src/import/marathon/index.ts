// Marathon app definitions (one app, a list, `{apps: […]}` as the API returns, or a group with
// nested groups) → ferry manifests + report.
import { claimName, importResult, readFirstDoc } from '../common.ts';
import { Reporter } from '../report.ts';
import { isRecord, type KeyPath } from '../source.ts';
import { toDnsLabel } from '../names.ts';
import type { ImportOptions, ImportResult, ImportedService } from '../types.ts';
import { mapApp } from './app.ts';

interface FoundApp {
  app: Record<string, unknown>;
  at: KeyPath;
  /** absolute id: /group/sub/app */
  id: string;
}

function join(base: string, id: string): string {
  if (id.startsWith('/')) return id;
  return `${base.replace(/\/$/, '')}/${id}`;
}

/** Every app in a Marathon document, with its path in the file and its absolute id. */
export function findApps(value: unknown): FoundApp[] | undefined {
  const out: FoundApp[] = [];
  const group = (g: Record<string, unknown>, at: KeyPath, base: string): void => {
    const id = typeof g.id === 'string' ? join(base, g.id) : base;
    if (Array.isArray(g.apps))
      g.apps.forEach((a, i) => {
        if (isRecord(a))
          out.push({ app: a, at: [...at, 'apps', i], id: join(id, String(a.id ?? `app-${i}`)) });
      });
    if (Array.isArray(g.groups))
      g.groups.forEach((sub, i) => isRecord(sub) && group(sub, [...at, 'groups', i], id));
  };
  if (Array.isArray(value)) {
    value.forEach((a, i) => {
      if (isRecord(a) && typeof a.id === 'string') out.push({ app: a, at: [i], id: join('/', a.id) });
    });
  } else if (isRecord(value)) {
    if (Array.isArray(value.apps) || Array.isArray(value.groups)) group(value, [], '/');
    else if (
      typeof value.id === 'string' &&
      (value.cmd !== undefined ||
        value.container !== undefined ||
        value.instances !== undefined ||
        value.cpus !== undefined)
    )
      out.push({ app: value, at: [], id: join('/', value.id) });
    else if (isRecord(value.app))
      out.push({ app: value.app, at: ['app'], id: join('/', String(value.app.id ?? 'app')) });
  }
  return out.length > 0 ? out : undefined;
}

export async function importMarathon(
  files: readonly string[],
  opts: ImportOptions = {},
): Promise<ImportResult> {
  const services: ImportedService[] = [];
  const entries: ImportResult['report'] = [];
  const all: { file: string; found: FoundApp[]; value: unknown; report: Reporter }[] = [];
  for (const f of files) {
    const { doc, found } = await readFirstDoc(
      f,
      findApps,
      'no Marathon app found (expected an app with "id", a list of apps, or a group)',
      `${f} is not a Marathon app definition`,
    );
    all.push({ file: f, found, value: doc.value, report: new Reporter(doc.locate) });
  }
  // Names: the last id segment, or the whole path when two apps share it.
  const last = (id: string): string => toDnsLabel(id.split('/').filter(Boolean).pop() ?? id);
  const counts = new Map<string, number>();
  for (const a of all.flatMap((x) => x.found)) counts.set(last(a.id), (counts.get(last(a.id)) ?? 0) + 1);
  const used = new Set<string>();
  for (const { found, value, report } of all) {
    const byPath = new Map<string, string>();
    for (const a of found) {
      const name = claimName(
        used,
        (counts.get(last(a.id)) ?? 0) > 1
          ? toDnsLabel(a.id.split('/').filter(Boolean).join('-'))
          : last(a.id),
        last(a.id),
      );
      byPath.set(JSON.stringify(a.at), name);
      services.push(mapApp({ app: a.app, at: a.at, name, report }));
    }
    const serviceOf = (key: KeyPath): string => {
      for (let n = key.length; n >= 0; n--) {
        const s = byPath.get(JSON.stringify(key.slice(0, n)));
        if (s !== undefined) return s;
      }
      return '';
    };
    // Group-level fields.
    const groups = (g: unknown, at: KeyPath): void => {
      if (!isRecord(g) || !(Array.isArray(g.apps) || Array.isArray(g.groups))) return;
      if (g.id !== undefined)
        report.approximated(
          '',
          [...at, 'id'],
          'service',
          'group ids become part of service names only when two apps share a name',
        );
      if (g.dependencies !== undefined)
        report.dropped('', [...at, 'dependencies'], 'start order between groups is not modelled');
      if (g.version !== undefined)
        report.dropped('', [...at, 'version'], 'runtime state reported by the Marathon API');
      if (Array.isArray(g.groups)) g.groups.forEach((s, i) => groups(s, [...at, 'groups', i]));
    };
    groups(value, []);
    report.complete(value, [], serviceOf);
    entries.push(...report.entries());
  }
  return importResult('marathon', files, services, entries, opts);
}
