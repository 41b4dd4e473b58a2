// environment + env_file → env. env_file values are inlined (reported); a variable without a value
// is taken from the import's variables, as compose takes it from the shell. A credential that came
// from outside the compose file (the shell, .env, --var, an env_file) is not written: it becomes a
// secret reference to <service>-env (credentials.ts).
import { ENV_NAME, sortRecord } from '../../common.ts';
import { isRecord } from '../../source.ts';
import type { FieldMapper, ServiceContext } from '../context.ts';
import { credentialSecret, hasUrlPassword, isCredentialName } from './credentials.ts';

/** The variables interpolated into environment.<k> (mapping or list form). */
function substitutedInto(ctx: ServiceContext, k: string, value: string): string[] {
  const exact = ctx.substituted.get(JSON.stringify(ctx.at('environment', k))) ?? [];
  const prefix = JSON.stringify(ctx.at('environment')).slice(0, -1);
  const listed = [...ctx.substituted].flatMap(([path, names]) =>
    path.startsWith(`${prefix},`) && /,\d+\]$/.test(path)
      ? names.filter((n) => (ctx.vars[n] ?? '') !== '' && value.includes(ctx.vars[n]!))
      : [],
  );
  return [...new Set([...exact, ...listed])];
}

export const mapEnvironment: FieldMapper = (ctx, m) => {
  const { svc, report, name, at } = ctx;
  // undefined: set by an earlier source (env_file), then taken by a later one
  const env: Record<string, string | number | boolean | undefined> = {};
  const secrets: Record<string, string | undefined> = {};
  const secretRef = (k: string): string => `secret:${credentialSecret(name)}#${k}`;
  const create = `create Secret ${credentialSecret(name)} in each namespace with the value (kubectl create secret generic ${credentialSecret(name)} --from-literal=…)`;
  const files = svc.env_file === undefined ? [] : Array.isArray(svc.env_file) ? svc.env_file : [svc.env_file];
  files.forEach((f, i) => {
    const path = typeof f === 'string' ? f : isRecord(f) ? String(f.path) : String(f);
    const key = Array.isArray(svc.env_file) ? at('env_file', i) : at('env_file');
    const parsed = ctx.envFiles.get(path);
    if (parsed === undefined || parsed instanceof Error) {
      report.dropped(name, key, `cannot read env file ${path}: ${parsed?.message ?? 'not found'}`);
      return;
    }
    const creds = Object.keys(parsed).filter((k) => isCredentialName(k) || hasUrlPassword(parsed[k]!));
    for (const [k, v] of Object.entries(parsed))
      if (creds.includes(k)) secrets[k] = secretRef(k);
      else env[k] = v;
    report.approximated(
      name,
      key,
      'env',
      `values inlined from ${path} (${Object.keys(parsed).length} variables)${creds.length > 0 ? `; ${creds.join(', ')} ${creds.length === 1 ? 'looks like a credential' : 'look like credentials'}: not written to ferry.yaml but read from Secret ${credentialSecret(name)} — ${create}` : ''}`,
    );
  });
  if (isRecord(svc.environment)) {
    for (const [k, v] of Object.entries(svc.environment)) {
      const key = at('environment', k);
      if (!ENV_NAME.test(k)) {
        report.dropped(name, key, 'not a valid environment variable name');
        continue;
      }
      if (v === null || v === undefined) {
        const fromHost = ctx.vars[k];
        if (fromHost === undefined) {
          report.dropped(
            name,
            key,
            'no value: compose takes it from the shell; set it in ferry.yaml or a secret',
          );
          continue;
        }
        if (isCredentialName(k) || hasUrlPassword(fromHost)) {
          secrets[k] = secretRef(k);
          env[k] = undefined;
          report.approximated(
            name,
            key,
            `secrets.${k}`,
            `a credential from the import environment: not written to ferry.yaml — ${create}`,
          );
          continue;
        }
        env[k] = fromHost;
        report.approximated(name, key, `env.${k}`, 'value taken from the import environment');
        continue;
      }
      const text = String(v);
      const from = typeof v === 'string' ? substitutedInto(ctx, k, text) : [];
      if (from.length > 0 && (isCredentialName(k) || from.some(isCredentialName) || hasUrlPassword(text))) {
        secrets[k] = secretRef(k);
        env[k] = undefined;
        report.approximated(
          name,
          key,
          `secrets.${k}`,
          `the value comes from ${from.map((n) => `\${${n}}`).join(', ')} and holds a credential: not written to ferry.yaml — ${create}`,
        );
        continue;
      }
      env[k] = typeof v === 'number' || typeof v === 'boolean' ? v : text;
      secrets[k] = undefined;
      report.mapped(name, key, `env.${k}`);
    }
  } else if (svc.environment !== undefined) report.dropped(name, at('environment'), 'not a mapping or list');
  const valid = Object.fromEntries(
    Object.entries(env).flatMap(([k, v]) => (v !== undefined && ENV_NAME.test(k) ? [[k, v] as const] : [])),
  );
  if (Object.keys(valid).length > 0) m.env = sortRecord(valid);
  const refs = Object.fromEntries(
    Object.entries(secrets).flatMap(([k, v]) =>
      v !== undefined && ENV_NAME.test(k) ? [[k, v] as const] : [],
    ),
  );
  if (Object.keys(refs).length > 0) m.secrets = sortRecord({ ...(m.secrets ?? {}), ...refs });
};
