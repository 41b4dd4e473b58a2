// For tests: an app made of manifests held in memory (no files), with a prod environment on
// example.com. Not part of the build (tsconfig.build.json leaves it out).
import type { LoadedApp } from './load.ts';
import type { ServiceManifest } from './schema.ts';

export function appOf(manifests: readonly ServiceManifest[]): LoadedApp {
  return {
    platform: {
      file: undefined,
      manifest: { environments: { prod: { domain: 'example.com' } } },
      text: '',
      locate: () => undefined,
    },
    services: manifests.map((m) => ({
      name: m.service,
      file: `/virtual/${m.service}/ferry.yaml`,
      manifest: m,
      text: '',
      locate: () => undefined,
    })),
  };
}
