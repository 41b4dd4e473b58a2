// Collects located problems while a workload is resolved, so all of them are reported at once.
import { FerryError, type Issue } from '../errors.ts';
import type { LoadedService } from '../manifest/load.ts';
import { formatPath, type KeyPath } from '../manifest/locate.ts';
import type { EnvironmentOverlay } from '../manifest/schema.ts';

export class Collector {
  readonly issues: Issue[] = [];
  constructor(
    private readonly s: LoadedService,
    private readonly env: string,
    private readonly overlay: EnvironmentOverlay | null | undefined,
  ) {}
  /** Locate in the overlay when it sets the top-level key, otherwise in the base manifest. */
  add(path: KeyPath, message: string, hint?: string): void {
    const top = path[0];
    const inOverlay = this.overlay && typeof top === 'string' && top in this.overlay;
    const full: KeyPath = inOverlay ? ['environments', this.env, ...path] : path;
    const loc = this.s.locate(full);
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
