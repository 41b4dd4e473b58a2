// One service, old platform vs ferry's Kubernetes render, aspect by aspect. Values of environment
// variables are never printed: only whether they are the same.
import type { ImportedService } from '../import/types.ts';
import { containerEnv } from '../render/kubernetes/env.ts';
import type { KubeObject } from '../render/kubernetes/index.ts';
import { parseCpu, parseMemory } from '../model/quantity.ts';
import type { Concurrency, Route, Workload } from '../model/types.ts';
import * as d from './describe.ts';
import type { ParityRow, Severity } from './types.ts';

type Obj = Record<string, unknown>;

function row(
  service: string,
  aspect: string,
  old: string,
  nw: string,
  severity: Severity,
  note?: string,
  rule?: string,
): ParityRow {
  const r: ParityRow = { service, aspect, old, new: nw, severity };
  if (note !== undefined) r.note = note;
  if (rule !== undefined) r.rule = rule;
  return r;
}

function get(o: unknown, ...path: string[]): unknown {
  let v = o;
  for (const p of path)
    v = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj)[p] : undefined;
  return v;
}

/** The main container of the service's Deployment in the rendered objects. */
function container(objects: readonly KubeObject[]): Obj | undefined {
  const dep = objects.find((o) => o.kind === 'Deployment');
  const cs = get(dep, 'spec', 'template', 'spec', 'containers');
  return Array.isArray(cs) ? (cs[0] as Obj) : undefined;
}

function setDiff(
  service: string,
  aspect: string,
  old: readonly string[],
  nw: readonly string[],
  missingWhy: string,
): ParityRow[] {
  const missing = old.filter((x) => !nw.includes(x));
  const extra = nw.filter((x) => !old.includes(x));
  if (missing.length > 0)
    return [
      row(
        service,
        aspect,
        d.list(old),
        d.list(nw),
        'blocking',
        `missing in ferry: ${missing.join(', ')} — ${missingWhy}`,
      ),
    ];
  if (extra.length > 0)
    return [row(service, aspect, d.list(old), d.list(nw), 'info', `only in ferry: ${extra.join(', ')}`)];
  return [row(service, aspect, d.list(old), d.list(nw), 'ok')];
}

/**
 * Routes matched by host and path. A host/path the old platform served and ferry does not is
 * blocking; one that ferry serves with another visibility (public ↔ internal) or another `allow`
 * list is a warning that says what changed.
 */
export function compareRoutes(service: string, old: readonly Route[], nw: readonly Route[]): ParityRow[] {
  const at = (r: Route): string => `${r.host}${r.path}`;
  const allow = (r: Route): string => [...new Set(r.allow)].sort().join(',');
  const oldDesc = d.list(old.map(d.route));
  const newDesc = d.list(nw.map(d.route));
  const missing = old.filter((r) => !nw.some((x) => at(x) === at(r)));
  if (missing.length > 0)
    return [
      row(
        service,
        'routes',
        oldDesc,
        newDesc,
        'blocking',
        `missing in ferry: ${missing.map(at).join(', ')} — requests for these hosts/paths get no answer`,
      ),
    ];
  const changes: string[] = [];
  for (const r of old) {
    const x = nw.find((y) => at(y) === at(r))!;
    if (r.public !== x.public)
      changes.push(
        `${at(r)}: ${r.public ? 'public' : 'internal'} before, ${x.public ? 'public' : 'internal'} in ferry`,
      );
    if (allow(r) !== allow(x))
      changes.push(`${at(r)}: allow ${allow(r) || 'any'} before, ${allow(x) || 'any'} in ferry`);
  }
  if (changes.length > 0)
    return [
      row(
        service,
        'routes',
        oldDesc,
        newDesc,
        'warning',
        `access changed — ${changes.join('; ')}: check who must reach these paths`,
      ),
    ];
  const extra = nw.filter((x) => !old.some((r) => at(r) === at(x)));
  if (extra.length > 0)
    return [row(service, 'routes', oldDesc, newDesc, 'info', `only in ferry: ${extra.map(at).join(', ')}`)];
  return [row(service, 'routes', oldDesc, newDesc, 'ok')];
}

/** What the old platform did when two runs of a cron overlapped: what the import wrote (it writes
 *  Chronos' default, concurrent: false, as forbid). */
export function oldConcurrency(_format: string, _raw: Obj | undefined, declared: Concurrency): Concurrency {
  return declared;
}

export function compareService(
  format: string,
  old: ImportedService,
  o: Workload,
  n: Workload,
  objects: readonly KubeObject[],
): ParityRow[] {
  const s = n.service;
  const rows: ParityRow[] = [];
  // image
  rows.push(
    o.imageRepository === n.imageRepository
      ? row(
          s,
          'image',
          o.imageRepository,
          n.imageRepository,
          'ok',
          old.version && old.version !== n.version
            ? `tag ${old.version} on the old platform, ${n.version} here`
            : undefined,
        )
      : row(s, 'image', o.imageRepository, n.imageRepository, 'warning', 'a different image repository'),
  );
  // instances
  if (n.autoscale && o.autoscale) {
    // both autoscale (a HorizontalPodAutoscaler on the old side): compare the ranges
    const same = o.autoscale.min === n.autoscale.min && o.autoscale.max === n.autoscale.max;
    rows.push(
      row(
        s,
        'instances',
        `${o.autoscale.min}–${o.autoscale.max} (autoscaled)`,
        `${n.autoscale.min}–${n.autoscale.max} (autoscaled)`,
        n.autoscale.min < o.autoscale.min ? 'warning' : same ? 'ok' : 'info',
        n.autoscale.min < o.autoscale.min ? 'a lower autoscaling minimum than the old platform' : undefined,
      ),
    );
  } else if (n.autoscale) {
    const inRange = o.instances >= n.autoscale.min && o.instances <= n.autoscale.max;
    rows.push(
      row(
        s,
        'instances',
        String(o.instances),
        `${n.autoscale.min}–${n.autoscale.max} (autoscaled)`,
        inRange ? 'ok' : 'warning',
        inRange ? undefined : 'the old instance count is outside the autoscaling range',
      ),
    );
  } else {
    const sev: Severity = n.instances < o.instances ? 'blocking' : n.instances > o.instances ? 'info' : 'ok';
    rows.push(
      row(
        s,
        'instances',
        String(o.instances),
        String(n.instances),
        sev,
        sev === 'blocking' ? 'fewer instances than the old platform runs' : undefined,
      ),
    );
  }
  // cpu / memory, with the request-vs-limit meaning of each side
  const c = container(objects);
  const reqCpu = get(c, 'resources', 'requests', 'cpu');
  const limCpu = get(c, 'resources', 'limits', 'cpu');
  const reqMem = get(c, 'resources', 'requests', 'memory');
  const limMem = get(c, 'resources', 'limits', 'memory');
  const oldCpuMeaning =
    format === 'marathon' || format === 'chronos'
      ? 'Marathon cpus: a reserved share, no hard cap'
      : format === 'beanstalk'
        ? 'ECS cpu units: a relative share'
        : 'limit';
  const newCpu = `limit ${String(limCpu ?? d.cpu(n.resources.cpuMillis))}, request ${String(reqCpu ?? '—')}`;
  const cpuRows: ParityRow[] = [];
  if (
    typeof reqCpu === 'string' &&
    typeof limCpu === 'string' &&
    parseCpu(reqCpu) >= parseCpu(limCpu) &&
    oldCpuMeaning !== 'limit'
  )
    cpuRows.push(
      row(
        s,
        'cpu',
        `${d.cpu(o.resources.cpuMillis)} (${oldCpuMeaning})`,
        newCpu,
        'blocking',
        'CPU request = limit turns a soft share into a hard cap: the service gets throttled at peaks (lower policy.cpuRequestRatio)',
        'cpu-requests-equal-limits',
      ),
    );
  else if (o.resources.cpuMillis !== n.resources.cpuMillis)
    cpuRows.push(
      row(
        s,
        'cpu',
        `${d.cpu(o.resources.cpuMillis)} (${oldCpuMeaning})`,
        newCpu,
        'warning',
        'a different CPU size',
      ),
    );
  else cpuRows.push(row(s, 'cpu', `${d.cpu(o.resources.cpuMillis)} (${oldCpuMeaning})`, newCpu, 'ok'));
  rows.push(...cpuRows);
  const newMem = `limit ${String(limMem ?? d.memory(n.resources.memoryBytes))}, request ${String(reqMem ?? '—')}`;
  const newLimBytes = typeof limMem === 'string' ? parseMemory(limMem) : n.resources.memoryBytes;
  rows.push(
    newLimBytes < o.resources.memoryBytes
      ? row(
          s,
          'memory',
          d.memory(o.resources.memoryBytes),
          newMem,
          'blocking',
          'a lower memory limit than the old platform gave: OOM kills',
        )
      : row(
          s,
          'memory',
          d.memory(o.resources.memoryBytes),
          newMem,
          newLimBytes > o.resources.memoryBytes ? 'info' : 'ok',
        ),
  );
  // env keys (values redacted) and secrets. Ferry's side is what its render sets (the manifest's
  // variables and the features' wiring, e.g. DATABASE_URL for postgres), not only what is declared.
  const lit = (w: Workload): Map<string, string> =>
    new Map(w.env.flatMap((e) => (e.source.kind === 'literal' ? [[e.name, e.source.value] as const] : [])));
  const rendered = containerEnv(n);
  const oe = lit(o);
  const ne = new Map(rendered.flatMap((e) => (e.valueFrom ? [] : [[e.name, e.value ?? ''] as const])));
  const envRows = setDiff(s, 'env', [...oe.keys()], [...ne.keys()], 'the service may read them');
  const changed = [...oe.keys()].filter((k) => ne.has(k) && ne.get(k) !== oe.get(k));
  if (changed.length > 0 && envRows[0]?.severity !== 'blocking') {
    envRows[0]!.severity = 'warning';
    envRows[0]!.note = `values differ (not shown): ${changed.join(', ')}`;
  }
  rows.push(...envRows);
  const sec = (w: Workload): string[] => w.env.filter((e) => e.source.kind !== 'literal').map((e) => e.name);
  const newSec = rendered.filter((e) => e.valueFrom).map((e) => e.name);
  rows.push(...setDiff(s, 'secrets', sec(o), newSec, 'create the secret and reference it'));
  // ports
  const ports = (w: Workload): string[] => w.ports.map((p) => `${p.port}/${p.protocol}`);
  rows.push(...setDiff(s, 'ports', ports(o), ports(n), 'clients of these ports lose the service'));
  // health
  const oh = d.health(o.health);
  const nh = d.health(n.health);
  rows.push(
    o.health && !n.health
      ? row(s, 'health', oh, nh, 'blocking', 'no probes: broken pods keep receiving traffic')
      : oh === nh
        ? row(s, 'health', oh, nh, 'ok')
        : row(s, 'health', oh, nh, o.health ? 'warning' : 'info'),
  );
  // routes and hosts
  rows.push(...compareRoutes(s, o.routes, n.routes));
  rows.push(...compareCrons(format, old, o, n, objects));
  for (const nc of n.crons)
    if (!o.crons.some((x) => x.name === nc.name))
      rows.push(row(s, `cron ${nc.name}`, '—', nc.schedule.cron, 'info', 'only in ferry'));
  // volumes
  const vols = (w: Workload): string[] => w.volumes.map((v) => v.path);
  const volRows = setDiff(s, 'volumes', vols(o), vols(n), 'data written there is not kept');
  for (const ov of o.volumes) {
    const nv = n.volumes.find((v) => v.path === ov.path);
    if (nv && nv.sizeBytes < ov.sizeBytes && volRows[0]?.severity === 'ok') {
      volRows[0].severity = 'warning';
      volRows[0].note = `${ov.path}: ${d.memory(nv.sizeBytes)} in ferry, ${d.memory(ov.sizeBytes)} before`;
    }
  }
  rows.push(...volRows);
  rows.push(...compareData(s, n), ...compareFiles(s, o, n));
  return rows;
}

/**
 * A volume whose data is still on the old platform (volumes[].from, written by ferry import) is
 * blocking until the data is copied in and the size confirmed: the service would start empty.
 */
export function compareData(service: string, n: Workload): ParityRow[] {
  return n.volumes
    .filter((v) => v.from !== undefined)
    .map((v) =>
      row(
        service,
        `volume ${v.name}`,
        v.from!,
        `${d.memory(v.sizeBytes)} at ${v.path}, empty`,
        'blocking',
        `the data is still on the old platform: copy it into the claim and confirm the size (${d.memory(v.sizeBytes)}), then remove volumes[].from`,
      ),
    );
}

/** Files the old service read (secret and config files) must be mounted at the same paths. */
export function compareFiles(service: string, o: Workload, n: Workload): ParityRow[] {
  const paths = (w: Workload): string[] => w.files.map((f) => f.path);
  if (o.files.length === 0 && n.files.length === 0) return [];
  const rows = setDiff(
    service,
    'files',
    paths(o),
    paths(n),
    'the service reads them (often through a *_FILE variable)',
  );
  const from = (w: Workload, p: string): string => {
    const f = w.files.find((x) => x.path === p)!.source;
    return f.kind === 'content' ? 'content' : `${f.kind} ${f.name}#${f.key}`;
  };
  const changed = o.files.filter((f) =>
    n.files.some((x) => x.path === f.path && from(n, f.path) !== from(o, f.path)),
  );
  if (changed.length > 0 && rows[0]?.severity === 'ok') {
    rows[0].severity = 'warning';
    rows[0].note = `read from elsewhere: ${changed.map((f) => `${f.path} (${from(o, f.path)} before, ${from(n, f.path)} in ferry)`).join('; ')}`;
  }
  return rows;
}

/** A schedule as written, and the cron it means when that is not the same text. */
function scheduleText(sc: { source: string; cron: string }): string {
  return sc.source === sc.cron ? sc.cron : `${sc.source} = ${sc.cron}`;
}

/** The old side's crons against ferry's: schedule meaning (after conversion) and concurrency. */
export function compareCrons(
  format: string,
  old: ImportedService,
  o: Workload,
  n: Workload,
  objects: readonly KubeObject[],
): ParityRow[] {
  const s = n.service;
  const rows: ParityRow[] = [];
  const cronJobs = objects.filter((x) => x.kind === 'CronJob');
  for (const oc of o.crons) {
    const nc = n.crons.find((x) => x.name === oc.name);
    if (!nc) {
      rows.push(
        row(s, `cron ${oc.name}`, oc.schedule.source, '—', 'blocking', 'the cron does not run in ferry'),
      );
      continue;
    }
    const oldDesc = scheduleText(oc.schedule);
    const newDesc = scheduleText(nc.schedule);
    if (
      oc.schedule.cron !== nc.schedule.cron ||
      (oc.schedule.timezone ?? 'UTC') !== (nc.schedule.timezone ?? 'UTC')
    )
      rows.push(
        row(
          s,
          `cron ${oc.name}`,
          `${oldDesc} ${oc.schedule.timezone ?? 'UTC'}`,
          `${newDesc} ${nc.schedule.timezone ?? 'UTC'}`,
          'blocking',
          'the schedule fires at different times after conversion',
          'schedule-meaning-changed',
        ),
      );
    else rows.push(row(s, `cron ${oc.name}`, oldDesc, newDesc, 'ok'));
    const cj =
      cronJobs.find(
        (x) =>
          get(x, 'metadata', 'labels', 'app.kubernetes.io/component') === 'cron' &&
          String(get(x, 'metadata', 'name')).endsWith(nc.name),
      ) ?? cronJobs.find((x) => String(get(x, 'metadata', 'name')).endsWith(nc.name));
    const policy = (get(cj, 'spec', 'concurrencyPolicy') as Concurrency | undefined) ?? nc.concurrency;
    const before = oldConcurrency(format, old.raw, oc.concurrency);
    if (before === 'Forbid' && policy === 'Allow')
      rows.push(
        row(
          s,
          `cron ${oc.name} concurrency`,
          format === 'chronos' ? 'concurrent: false (Forbid)' : 'Forbid',
          `concurrencyPolicy ${policy}`,
          'blocking',
          'overlapping runs were impossible before and are allowed now (set concurrency: forbid)',
          'chronos-concurrent-false',
        ),
      );
    else
      rows.push(row(s, `cron ${oc.name} concurrency`, before, policy, before === policy ? 'ok' : 'warning'));
  }
  return rows;
}
