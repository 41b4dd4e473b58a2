// env → env; `{secret: …}` values → secrets read from a Kubernetes Secret.
import { ENV_NAME, sortRecord } from '../../common.ts';
import { toDnsLabel } from '../../names.ts';
import { isRecord } from '../../source.ts';
import type { AppMapper } from '../context.ts';

export const mapEnv: AppMapper = (ctx, m) => {
  const { app, report, name, at } = ctx;
  if (!isRecord(app.env)) return;
  const env: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  const appSecrets = isRecord(app.secrets) ? app.secrets : {};
  for (const [k, v] of Object.entries(app.env)) {
    const key = at('env', k);
    if (!ENV_NAME.test(k)) {
      report.dropped(name, key, 'not a valid environment variable name');
      continue;
    }
    if (isRecord(v) && typeof v.secret === 'string') {
      const def = appSecrets[v.secret];
      const source = isRecord(def) && typeof def.source === 'string' ? def.source : v.secret;
      const secretName = toDnsLabel(source.split('/').filter(Boolean).join('-') || v.secret);
      secrets[k] = `secret:${secretName}#value`;
      report.approximated(
        name,
        key,
        `secrets.${k}`,
        `Marathon secret "${source}" → Kubernetes Secret ${secretName} key value (create it in each namespace)`,
      );
      if (isRecord(def)) report.mapped(name, at('secrets', v.secret), `secrets.${k}`);
      continue;
    }
    env[k] = String(v);
    report.mapped(name, key, `env.${k}`);
  }
  if (Object.keys(env).length > 0) m.env = sortRecord({ ...(m.env ?? {}), ...env });
  if (Object.keys(secrets).length > 0) m.secrets = sortRecord(secrets);
};
