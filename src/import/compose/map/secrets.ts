// secrets (files at /run/secrets/<target>) → ferry secrets.
import { sortRecord } from '../../common.ts';
import { toDnsLabel, toEnvName } from '../../names.ts';
import { isRecord } from '../../source.ts';
import type { FieldMapper } from '../context.ts';

export const mapSecrets: FieldMapper = (ctx, m) => {
  const { report, name, at } = ctx;
  const list = ctx.svc.secrets;
  if (list === undefined) return;
  if (!Array.isArray(list)) return report.dropped(name, at('secrets'), 'not a list');
  const top = isRecord(ctx.project.secrets) ? ctx.project.secrets : {};
  const out: Record<string, string> = { ...(m.secrets ?? {}) };
  list.forEach((s, i) => {
    const source = typeof s === 'string' ? s : isRecord(s) ? String(s.source ?? '') : '';
    if (source === '') return report.dropped(name, at('secrets', i), 'no secret name');
    const def = top[source];
    const external = isRecord(def) && (def.external === true || isRecord(def.external));
    const secretName = toDnsLabel(
      isRecord(def) && typeof def.name === 'string'
        ? def.name
        : isRecord(def) && isRecord(def.external) && typeof def.external.name === 'string'
          ? def.external.name
          : source,
    );
    const keyName = source.replace(/[^-._a-zA-Z0-9]/g, '_');
    const target = isRecord(s) && typeof s.target === 'string' ? s.target : source;
    const env = toEnvName(target.split('/').pop() ?? target);
    out[env] = `secret:${secretName}#${keyName}`;
    const origin = external
      ? 'an existing (external) secret'
      : isRecord(def) && typeof def.file === 'string'
        ? `a secret made from the file ${def.file}`
        : isRecord(def) && typeof def.environment === 'string'
          ? `a secret made from the variable ${def.environment}`
          : 'a secret';
    report.approximated(
      name,
      at('secrets', i),
      `secrets.${env}`,
      `was the file /run/secrets/${target}; now env ${env} from Kubernetes Secret ${secretName} key ${keyName} (${origin}; create it in each namespace) — the service must read the variable`,
    );
  });
  if (Object.keys(out).length > 0) m.secrets = sortRecord(out);
};
