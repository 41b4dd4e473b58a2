// Pod settings compose says: stop_grace_period → pod.terminationGracePeriod (Celery's warm
// shutdown), user → pod.securityContext.runAsUser/runAsGroup (numeric ids only: Kubernetes has no
// user names), read_only → readOnlyRootFilesystem, cap_add/cap_drop → capabilities,
// security_opt no-new-privileges → allowPrivilegeEscalation false. What cannot be said stays for
// the dropped table, with its reason.
import type { FieldMapper, Manifest } from '../context.ts';

type Security = NonNullable<NonNullable<Manifest['pod']>['securityContext']>;

function security(m: Manifest): Security {
  m.pod ??= {};
  return (m.pod.securityContext ??= {});
}

const caps = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((c) => typeof c === 'string' && /^(CAP_)?[A-Z][A-Z0-9_]*$/.test(c))
    ? v.map((c) => String(c).replace(/^CAP_/, ''))
    : undefined;

export const mapPod: FieldMapper = (ctx, m) => {
  const { svc, report, name, at } = ctx;
  const grace = svc.stop_grace_period;
  if (typeof grace === 'string' && /^(\d+(\.\d+)?(h|m|s|ms|us))+$/.test(grace.trim())) {
    m.pod ??= {};
    m.pod.terminationGracePeriod = grace.trim();
    report.mapped(name, at('stop_grace_period'), 'pod.terminationGracePeriod');
  }
  const user = svc.user === undefined ? undefined : String(svc.user).trim();
  const ids = user === undefined ? undefined : /^(\d+)(?::(\d+))?$/.exec(user);
  if (ids) {
    const s = security(m);
    s.runAsUser = Number(ids[1]);
    if (ids[2] !== undefined) s.runAsGroup = Number(ids[2]);
    report.mapped(
      name,
      at('user'),
      ids[2] !== undefined ? 'pod.securityContext.runAsGroup' : 'pod.securityContext.runAsUser',
    );
  } else if (user !== undefined)
    report.dropped(
      name,
      at('user'),
      `"${user}" is a user name: Kubernetes runs as a numeric UID — write pod.securityContext.runAsUser with the image's id for it`,
    );
  if (svc.read_only === true) {
    security(m).readOnlyRootFilesystem = true;
    report.mapped(name, at('read_only'), 'pod.securityContext.readOnlyRootFilesystem');
  }
  for (const [key, side] of [
    ['cap_add', 'add'],
    ['cap_drop', 'drop'],
  ] as const) {
    const list = caps(svc[key]);
    if (!list) continue;
    const s = security(m);
    s.capabilities = { ...s.capabilities, [side]: list };
    report.mapped(name, at(key), `pod.securityContext.capabilities.${side}`);
  }
  const opts = Array.isArray(svc.security_opt) ? svc.security_opt.map(String) : [];
  if (opts.length > 0 && opts.every((o) => /^no-new-privileges(:true)?$/.test(o))) {
    security(m).allowPrivilegeEscalation = false;
    report.mapped(name, at('security_opt'), 'pod.securityContext.allowPrivilegeEscalation');
  }
};
