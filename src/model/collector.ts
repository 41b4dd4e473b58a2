// Collects located problems while a workload is resolved, so all of them are reported at once.
import { FerryError, type Issue } from '../errors.ts';
import type { LoadedService } from '../manifest/load.ts';
import { formatPath, type KeyPath, type Locate } from '../manifest/locate.ts';
import type { EnvironmentOverlay } from '../manifest/schema.ts';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * True when the environment's overlay is what set the value at `path`: the overlay holds the
 * path down to its end, or holds a list or scalar on the way (lists and scalars replace the
 * base's). A key of a map the overlay merges, which only the base sets, is the base's.
 */
export function setByOverlay(overlay: unknown, path: KeyPath): boolean {
  let cur: unknown = overlay;
  for (const seg of path) {
    if (!isPlainObject(cur)) return cur !== undefined && cur !== null;
    if (!Object.hasOwn(cur, String(seg))) return false;
    cur = cur[String(seg)];
  }
  return cur !== undefined;
}

export class Collector {
  readonly issues: Issue[] = [];
  constructor(
    private readonly s: LoadedService,
    private readonly env: string,
    private readonly overlay: EnvironmentOverlay | null | undefined,
    private readonly platform:
      { file: string | undefined; locate: Locate; salvaged?: boolean } | undefined = undefined,
  ) {}
  /** Located where the value was written: in the environment's overlay when it set it, else in the base. */
  add(path: KeyPath, message: string, hint?: string): void {
    const full: KeyPath = setByOverlay(this.overlay, path) ? ['environments', this.env, ...path] : path;
    const loc = this.s.locate(full);
    this.issues.push({ path: formatPath(full), message, ...(loc ? { loc } : {}), ...(hint ? { hint } : {}) });
  }
  /**
   * A problem that relates two parts of the manifest (a port a route names, the route a check
   * needs). Not reported when either file was salvaged (loadAppForCheck): the other part may
   * only be missing because it was left out for its own, already reported, problem.
   */
  relation(path: KeyPath, message: string, hint?: string): void {
    if (this.s.salvaged || this.platform?.salvaged) return;
    this.add(path, message, hint);
  }
  /** At exactly this path of the service file (no overlay lookup). */
  addExact(full: KeyPath, message: string, hint?: string): void {
    const loc = this.s.locate(full);
    this.issues.push({ path: formatPath(full), message, ...(loc ? { loc } : {}), ...(hint ? { hint } : {}) });
  }
  /** A problem of the platform file's entry for this environment (`environments.<env>.<path>`). */
  addPlatform(path: KeyPath, message: string, hint?: string): void {
    const full: KeyPath = ['environments', this.env, ...path];
    const loc = this.platform?.locate(full);
    this.issues.push({ path: formatPath(full), message, ...(loc ? { loc } : {}), ...(hint ? { hint } : {}) });
  }
  /** Runs fn; a FerryError becomes an issue at path, and the fallback is returned. */
  try<T>(path: KeyPath, fn: () => T, fallback: T): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof FerryError) {
        this.add(path, err.message, err.hint);
        return fallback;
      }
      throw err;
    }
  }
}
