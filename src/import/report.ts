// The import report: every field of the source is mapped, approximated (and how) or dropped (and
// why). `complete()` walks the whole source tree and adds a "dropped" entry for every leaf that no
// importer claimed, so nothing can be dropped silently — even fields nobody thought of.
import type { Location } from '../errors.ts';
import { formatPath, isRecord, type KeyPath } from './source.ts';

export type Outcome = 'mapped' | 'approximated' | 'dropped';

export interface ReportEntry {
  /** the ferry service the field belongs to, or '' for file-level fields */
  service: string;
  /** the source field, e.g. services.web.deploy.replicas */
  path: string;
  outcome: Outcome;
  /** the ferry field it became, e.g. instances */
  to?: string;
  /** how it was approximated, or why it was dropped */
  note?: string;
  /** set when the approximation must be confirmed before the cut-over (ferry parity blocks) */
  blocking?: true;
  loc?: Location;
}

export type Locator = (path: KeyPath) => Location | undefined;

/** Collects entries for one source tree (a merged compose project, a Marathon file …). */
export class Reporter {
  readonly #entries: { key: KeyPath; entry: ReportEntry }[] = [];
  /** JSON of every entry's key, for covers() in O(depth) */
  readonly #keys = new Set<string>();
  readonly #locate: Locator;
  readonly #prefix: string;

  /** `prefix` names the document in multi-document inputs, e.g. "Deployment/web:" */
  constructor(locate: Locator, prefix = '') {
    this.#locate = locate;
    this.#prefix = prefix;
  }

  #add(
    service: string,
    key: KeyPath,
    outcome: Outcome,
    to: string | undefined,
    note: string | undefined,
    blocking = false,
    covering = true,
  ): void {
    const entry: ReportEntry = { service, path: this.#prefix + formatPath(key), outcome };
    if (to !== undefined) entry.to = to;
    if (note !== undefined) entry.note = note;
    if (blocking) entry.blocking = true;
    const loc = this.#locate(key);
    if (loc) entry.loc = loc;
    this.#entries.push({ key, entry });
    if (covering) this.#keys.add(JSON.stringify(key));
  }

  mapped(service: string, key: KeyPath, to: string, note?: string): void {
    this.#add(service, key, 'mapped', to, note);
  }

  /** `blocking`: the user must confirm it before the cut-over (a data volume's size). */
  approximated(service: string, key: KeyPath, to: string, how: string, blocking = false): void {
    this.#add(service, key, 'approximated', to, how, blocking);
  }

  /**
   * An approximation about the object at `key` as a whole (a service renamed, a port added for
   * it): unlike the others, it does not cover the object's fields, which are reported one by one.
   */
  whole(service: string, key: KeyPath, to: string, how: string, blocking = false): void {
    this.#add(service, key, 'approximated', to, how, blocking, false);
  }

  /** Entries at or below `key` whose ferry field starts with `from` now point under `to`. */
  retargetUnder(key: KeyPath, from: string, to: string): void {
    for (const e of this.#entries)
      if (key.every((k, i) => e.key[i] === k) && e.entry.to?.startsWith(from))
        e.entry.to = to + e.entry.to.slice(from.length);
  }

  /** Points the last entry at `key` to another ferry field (a later pass moved the value). */
  retarget(key: KeyPath, to: string): void {
    const json = JSON.stringify(key);
    for (let i = this.#entries.length - 1; i >= 0; i--)
      if (JSON.stringify(this.#entries[i]!.key) === json) {
        this.#entries[i]!.entry.to = to;
        return;
      }
  }

  /** Adds to the note of the last entry at `key` (a later pass learnt more about that field). */
  note(key: KeyPath, more: string): boolean {
    const json = JSON.stringify(key);
    for (let i = this.#entries.length - 1; i >= 0; i--) {
      const e = this.#entries[i]!;
      if (JSON.stringify(e.key) !== json) continue;
      e.entry.note = e.entry.note ? `${e.entry.note}; ${more}` : more;
      return true;
    }
    return false;
  }

  dropped(service: string, key: KeyPath, why: string): void {
    this.#add(service, key, 'dropped', undefined, why);
  }

  /** True when some entry covers `key` (the key itself or one of its parents). */
  covers(key: KeyPath): boolean {
    for (let n = 0; n <= key.length; n++) if (this.#keys.has(JSON.stringify(key.slice(0, n)))) return true;
    return false;
  }

  /** True when some entry is at `key` or below it (a field some mapper reported on). */
  reported(key: KeyPath): boolean {
    return this.#entries.some((e) => e.key.length >= key.length && key.every((k, i) => e.key[i] === k));
  }

  /**
   * Adds a "dropped" entry for every leaf of `source` (under `root`) that no entry covers.
   * `serviceOf` names the ferry service a path belongs to.
   */
  complete(source: unknown, root: KeyPath, serviceOf: (key: KeyPath) => string): void {
    const walk = (value: unknown, key: KeyPath): void => {
      if (this.covers(key)) return;
      const children: [string | number, unknown][] = Array.isArray(value)
        ? value.map((v, i) => [i, v])
        : isRecord(value)
          ? Object.entries(value)
          : [];
      if (children.length === 0) {
        const empty = value === null || value === '' || Array.isArray(value) || isRecord(value);
        this.dropped(
          serviceOf(key),
          key,
          empty
            ? 'empty in the source: nothing to carry over'
            : 'ferry has no equivalent for this field; it is not carried over',
        );
        return;
      }
      for (const [k, v] of children) walk(v, [...key, k]);
    };
    walk(source, root);
  }

  entries(): ReportEntry[] {
    return this.#entries.map((e) => e.entry);
  }
}

export interface ReportSummary {
  mapped: number;
  approximated: number;
  dropped: number;
  /** approximations to confirm before the cut-over (counted in approximated too) */
  blocking: number;
}

export function summarize(entries: readonly ReportEntry[]): ReportSummary {
  const s: ReportSummary = { mapped: 0, approximated: 0, dropped: 0, blocking: 0 };
  for (const e of entries) {
    s[e.outcome]++;
    if (e.blocking) s.blocking++;
  }
  return s;
}

/** Sorted for stable output: by service, then file position, then path. */
export function sortEntries(entries: readonly ReportEntry[]): ReportEntry[] {
  return [...entries].sort(
    (a, b) =>
      a.service.localeCompare(b.service) ||
      (a.loc?.file ?? '').localeCompare(b.loc?.file ?? '') ||
      (a.loc?.line ?? 0) - (b.loc?.line ?? 0) ||
      (a.loc?.col ?? 0) - (b.loc?.col ?? 0) ||
      a.path.localeCompare(b.path),
  );
}

/** Human table: one line per entry, grouped by service. */
export function formatReport(entries: readonly ReportEntry[]): string {
  const lines: string[] = [];
  let current: string | undefined;
  for (const e of sortEntries(entries)) {
    if (e.service !== current) {
      current = e.service;
      lines.push(current === '' ? '(file)' : current);
    }
    const mark = e.blocking
      ? 'BLOCKING    '
      : e.outcome === 'mapped'
        ? 'mapped      '
        : e.outcome === 'approximated'
          ? 'approximated'
          : 'dropped     ';
    const to = e.to ? ` → ${e.to}` : '';
    const note = e.note ? `  (${e.note})` : '';
    lines.push(`  ${mark} ${e.path}${to}${note}`);
  }
  const s = summarize(entries);
  lines.push(
    `${s.mapped} mapped, ${s.approximated} approximated, ${s.dropped} dropped${s.blocking > 0 ? ` (${s.blocking} blocking: confirm them, ferry parity checks)` : ''}`,
  );
  return lines.join('\n');
}
