// Environment variables: platform and service values, interpolated, secrets as sources, sorted.
import { FerryError } from '../errors.ts';
import type { Collector } from './collector.ts';
import type { EffectiveManifest } from './effective.ts';
import type { KeyPath } from '../manifest/locate.ts';
import { interpolate, type Variables } from './interpolate.ts';
import type { EnvSource, EnvVar } from './types.ts';

export function envSource(value: string): EnvSource | undefined {
  const secret = /^secret:([a-z0-9][-a-z0-9.]*)#([-._a-zA-Z0-9]+)$/.exec(value);
  if (secret) return { kind: 'secret', name: secret[1] ?? '', key: secret[2] ?? '' };
  const vault = /^vault:([^#\s]+)#([-._a-zA-Z0-9]+)$/.exec(value);
  if (vault) return { kind: 'vault', path: vault[1] ?? '', key: vault[2] ?? '' };
  return undefined;
}

export function resolveEnv(
  m: EffectiveManifest,
  platformEnv: Readonly<Record<string, string | number | boolean>>,
  vars: Variables,
  c: Collector,
): EnvVar[] {
  const out = new Map<string, EnvSource>();
  const add = (name: string, raw: string | number | boolean, path: KeyPath, platform = false): void => {
    if (typeof raw !== 'string') {
      out.set(name, { kind: 'literal', value: String(raw) });
      return;
    }
    let text = raw;
    try {
      text = interpolate(raw, vars);
    } catch (err) {
      if (!(err instanceof FerryError)) throw err;
      // a platform variable is reported in the platform file, once (not in each service's file)
      if (platform) c.addPlatform(path, err.message, err.hint);
      else c.add(path, err.message, err.hint);
    }
    out.set(name, envSource(text) ?? { kind: 'literal', value: text });
  };
  for (const [k, v] of Object.entries(platformEnv)) add(k, v, ['env', k], true);
  for (const [k, v] of Object.entries(m.env ?? {})) add(k, v, ['env', k]);
  for (const [k, v] of Object.entries(m.secrets ?? {})) {
    if (m.env && k in m.env) c.add(['secrets', k], `${k} is set in both env and secrets`, 'keep one of them');
    add(k, v, ['secrets', k]);
  }
  return [...out.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, source]) => ({ name, source }));
}
