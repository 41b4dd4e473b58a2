// A LoadedApp from texts already in memory (tests, manifests read from git or an HTTP request):
// the same parsing as loadApp, without touching the file system (no glob expansion and no
// cross-file checks: use loadApp for files on disk).
import { InvalidInputError, type Issue } from '../errors.ts';
import type { LoadedApp, LoadedPlatform, LoadedService } from './load.ts';
import { parsePlatformManifest, parseServiceManifest } from './parse.ts';

export interface TextFile {
  /** shown in error locations */
  file: string;
  text: string;
}

export function appFromTexts(platform: TextFile | undefined, services: readonly TextFile[]): LoadedApp {
  const issues: Issue[] = [];
  const attempt = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof InvalidInputError) issues.push(...err.issues);
      else throw err;
      return undefined;
    }
  };
  const loaded: LoadedService[] = [];
  for (const s of services) {
    const p = attempt(() => parseServiceManifest(s.text, s.file));
    if (p)
      loaded.push({
        name: p.manifest.service,
        file: s.file,
        manifest: p.manifest,
        text: s.text,
        locate: p.locate,
      });
  }
  let lp: LoadedPlatform | undefined;
  if (platform) {
    const p = attempt(() => parsePlatformManifest(platform.text, platform.file));
    if (p) lp = { file: platform.file, manifest: p.manifest, text: platform.text, locate: p.locate };
  }
  if (issues.length > 0) throw new InvalidInputError(issues);
  if (!lp) {
    const names = Object.keys(loaded[0]?.manifest.environments ?? {});
    lp = {
      file: undefined,
      manifest: {
        environments: Object.fromEntries((names.length ? names : ['default']).map((n) => [n, null])),
      },
      text: '',
      locate: () => undefined,
    };
  }
  loaded.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { platform: lp, services: loaded };
}
