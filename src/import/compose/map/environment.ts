// environment + env_file → env. env_file values are inlined (reported); a variable without a value
// is taken from the import's variables, as compose takes it from the shell.
import { ENV_NAME, sortRecord } from '../../common.ts';
import { isRecord } from '../../source.ts';
import type { FieldMapper } from '../context.ts';

export const mapEnvironment: FieldMapper = (ctx, m) => {
  const { svc, report, name, at } = ctx;
  const env: Record<string, string | number | boolean> = {};
  const files = svc.env_file === undefined ? [] : Array.isArray(svc.env_file) ? svc.env_file : [svc.env_file];
  files.forEach((f, i) => {
    const path = typeof f === 'string' ? f : isRecord(f) ? String(f.path) : String(f);
    const key = Array.isArray(svc.env_file) ? at('env_file', i) : at('env_file');
    const parsed = ctx.envFiles.get(path);
    if (parsed === undefined || parsed instanceof Error) {
      report.dropped(name, key, `cannot read env file ${path}: ${parsed?.message ?? 'not found'}`);
      return;
    }
    Object.assign(env, parsed);
    report.approximated(
      name,
      key,
      'env',
      `values inlined from ${path} (${Object.keys(parsed).length} variables)`,
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
        env[k] = fromHost;
        report.approximated(name, key, `env.${k}`, 'value taken from the import environment');
        continue;
      }
      env[k] = typeof v === 'number' || typeof v === 'boolean' ? v : String(v);
      report.mapped(name, key, `env.${k}`);
    }
  } else if (svc.environment !== undefined) report.dropped(name, at('environment'), 'not a mapping or list');
  const valid = Object.fromEntries(Object.entries(env).filter(([k]) => ENV_NAME.test(k)));
  if (Object.keys(valid).length > 0) m.env = sortRecord(valid);
};
