// Services reach each other by name (DB_HOST: db, postgres://…@db:5432/shop, REDIS_URL:
// redis://redis). A service others reach that declares no port would get no Kubernetes Service,
// so `db:5432` would answer nothing: it gets the port the others name, or its image's well-known
// port, and the report says so (or that none could be found). Each variable that names another
// service says so in its report line, with the ferry feature that fits a well-known image.
import { FEATURE_VARIABLE, wellKnown } from '../infra.ts';
import type { Reporter } from '../report.ts';
import { isRecord } from '../source.ts';
import type { ImportedService } from '../types.ts';
import { addPort, manifestPorts } from './map/ports.ts';

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Where `value` names `host` as a host: the port it names, or null when none. */
export function hostReference(value: string, host: string): { port: number | undefined } | undefined {
  const re = new RegExp(`(?:^|[/@,\\s=;])${escape(host)}(?::(\\d{1,5}))?(?=$|[/:,\\s;?])`);
  const m = re.exec(value);
  if (!m) return undefined;
  const port = m[1] === undefined ? undefined : Number(m[1]);
  return { port: port !== undefined && port >= 1 && port <= 65535 ? port : undefined };
}

export function wireServices(
  services: Record<string, unknown>,
  names: ReadonlyMap<string, string>,
  out: readonly ImportedService[],
  report: Reporter,
): void {
  const byName = new Map(out.map((s) => [s.manifest.service, s]));
  for (const [targetKey, targetName] of names) {
    const target = byName.get(targetName);
    if (!target || (target.manifest.instances === 0 && target.manifest.crons !== undefined)) continue;
    const infra = wellKnown(target.manifest.image);
    const refs: { from: string; key: string; variable: string; port: number | undefined }[] = [];
    for (const [key, name] of names) {
      const s = byName.get(name);
      if (!s || s === target) continue;
      for (const [variable, value] of Object.entries(s.manifest.env ?? {})) {
        if (typeof value !== 'string') continue;
        const ref =
          hostReference(value, targetKey) ??
          (targetKey !== targetName ? hostReference(value, targetName) : undefined);
        if (ref) refs.push({ from: name, key, variable, port: ref.port });
      }
    }
    if (refs.length === 0) continue;
    const feature = infra?.feature;
    for (const r of refs) {
      const svc = services[r.key];
      const literal = isRecord(svc) && isRecord(svc.environment) && r.variable in svc.environment;
      if (!literal) continue;
      report.note(
        ['services', r.key, 'environment', r.variable],
        `reaches ${targetName} by name${infra ? ` (${infra.title})` : ''}: its Service answers in the same namespace${
          feature
            ? `; or give ${r.from} features.${feature} and read ${FEATURE_VARIABLE[feature]} (a managed ${infra.title})`
            : ''
        }`,
      );
    }
    if (manifestPorts(target.manifest).length > 0) continue;
    const named = refs.map((r) => r.port).find((p) => p !== undefined);
    const port = named ?? infra?.port;
    const who = [...new Set(refs.map((r) => `${r.from}: ${r.variable}`))].join(', ');
    if (port === undefined) {
      report.whole(
        targetName,
        ['services', targetKey],
        'port',
        `others reach ${targetName} by name (${who}) but it declares no port, so it gets no Service and they cannot reach it: add port: <n> to its ferry.yaml`,
        true,
      );
      continue;
    }
    addPort(target.manifest, port);
    report.whole(
      targetName,
      ['services', targetKey],
      'port',
      `port ${port} (${named !== undefined ? 'the port the others name' : `the ${infra!.title} image's port`}): others reach ${targetName} by name (${who}), so it gets a Service`,
    );
  }
}
