// `ferry parity`: what the old platform runs (its files, imported) against what ferry renders for
// Kubernetes, service by service, plus the pitfall rules. Blocking rows make `ok` false (exit 3).
import type { ImportResult } from '../import/types.ts';
import type { LoadedApp } from '../manifest/load.ts';
import { resolveWorkload, listWorkloads } from '../model/resolve.ts';
import type { Workload } from '../model/types.ts';
import { renderKubernetes } from '../render/kubernetes/index.ts';
import { compareCrons, compareService } from './compare.ts';
import { certificateRule, forwardedHeadersRule } from './rules.ts';
import type { ParityResult, ParityRow, Severity } from './types.ts';

export type { ParityResult, ParityRow, Severity } from './types.ts';

function errorText(e: unknown): string {
  const issues = (e as { issues?: { path: string; message: string }[] }).issues;
  if (Array.isArray(issues)) return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return e instanceof Error ? e.message : String(e);
}

/** The ferry cron a Chronos job's cron is: the same service and cron, or a ferry cron named
 *  "<service>-<cron>" (the marathon target's job names) or like the job. */
function chronosTarget(
  news: readonly Workload[],
  service: string,
  cron: string,
): { w: Workload; cron: string } | undefined {
  const job = `${service}-${cron}`;
  for (const w of news)
    for (const c of w.crons)
      if ((w.service === service && c.name === cron) || `${w.service}-${c.name}` === job || c.name === job)
        return { w, cron: c.name };
  for (const w of news)
    for (const c of w.crons)
      if (`${w.service}-${c.name}` === cron || c.name === cron) return { w, cron: c.name };
  return undefined;
}

export function parity(app: LoadedApp, env: string, version: string, old: ImportResult): ParityResult {
  const rows: ParityRow[] = [];
  const oldApp: LoadedApp = {
    platform: app.platform,
    services: old.services.map((s) => ({
      name: s.manifest.service,
      file: `${old.files[0] ?? 'old'}#${s.manifest.service}`,
      manifest: s.manifest,
      text: '',
      locate: () => undefined,
    })),
  };
  const news = listWorkloads(app, env, version);
  const byName = new Map(news.map((w) => [w.service, w]));
  const matchedCrons = new Set<string>();
  for (const s of old.services) {
    const name = s.manifest.service;
    // Chronos jobs are crons of ferry services, matched cron by cron.
    if (old.format === 'chronos') {
      let o: Workload | undefined;
      let unreadable: string | undefined;
      try {
        o = resolveWorkload(oldApp, name, env, s.version ?? version);
      } catch (e) {
        unreadable = errorText(e);
      }
      for (const oc of s.manifest.crons ?? []) {
        const job = chronosTarget(news, name, oc.name);
        if (!job) {
          rows.push({
            service: name,
            aspect: `cron ${oc.name}`,
            old: oc.schedule,
            new: '—',
            severity: 'blocking',
            note: `no ferry cron runs the Chronos job ${name}-${oc.name} in ${env}: import it or remove it from the old platform`,
          });
          continue;
        }
        matchedCrons.add(`${job.w.service}/${job.cron}`);
        const c = o?.crons.find((x) => x.name === oc.name);
        if (!o || !c) {
          rows.push({
            service: job.w.service,
            aspect: `cron ${job.cron}`,
            old: 'unreadable',
            new: 'runs',
            severity: 'blocking',
            note: unreadable ?? 'the old definition cannot be compared',
          });
          continue;
        }
        const renamed = { ...o, crons: [{ ...c, name: job.cron }] };
        rows.push(...compareCrons(old.format, s, renamed, job.w, renderKubernetes(job.w).objects));
      }
      continue;
    }
    const n = byName.get(name);
    if (!n) {
      rows.push({
        service: name,
        aspect: 'service',
        old: 'runs',
        new: '—',
        severity: 'blocking',
        note: `no ferry service "${name}" runs in ${env}: import it or remove it from the old platform`,
      });
      continue;
    }
    let o: Workload;
    try {
      o = resolveWorkload(oldApp, name, env, s.version ?? version);
    } catch (e) {
      rows.push({
        service: name,
        aspect: 'service',
        old: 'unreadable',
        new: 'runs',
        severity: 'blocking',
        note: `the old definition cannot be compared: ${errorText(e)}`,
      });
      continue;
    }
    rows.push(...compareService(old.format, s, o, n, renderKubernetes(n).objects));
    rows.push(...forwardedHeadersRule(old.format, s, n));
  }
  for (const n of news)
    if (old.format !== 'chronos' && !old.services.some((s) => s.manifest.service === n.service))
      rows.push({
        service: n.service,
        aspect: 'service',
        old: '—',
        new: 'runs',
        severity: 'info',
        note: 'only in ferry',
      });
  rows.push(...certificateRule(news));
  const summary: Record<Severity, number> = { ok: 0, info: 0, warning: 0, blocking: 0 };
  for (const r of rows) summary[r.severity]++;
  return { env, oldFormat: old.format, rows, summary, ok: summary.blocking === 0 };
}

/** The table `ferry parity` prints. */
export function formatParity(r: ParityResult, opts: { all?: boolean } = {}): string {
  const shown = opts.all ? r.rows : r.rows.filter((x) => x.severity !== 'ok');
  const head = ['SERVICE', 'ASPECT', 'OLD', 'FERRY', 'RESULT'];
  const cells = shown.map((x) => [
    x.service,
    x.aspect,
    x.old,
    x.new,
    x.severity.toUpperCase() + (x.rule ? ` [${x.rule}]` : ''),
  ]);
  const widths = head.map((h, i) =>
    Math.min(48, Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length))),
  );
  const fit = (t: string, w: number): string => (t.length > w ? `${t.slice(0, w - 1)}…` : t.padEnd(w));
  const lines = [
    head
      .map((h, i) => fit(h, widths[i]!))
      .join('  ')
      .trimEnd(),
  ];
  shown.forEach((x, k) => {
    lines.push(
      cells[k]!.map((c, i) => fit(c, widths[i]!))
        .join('  ')
        .trimEnd(),
    );
    if (x.note) lines.push(`    ${x.note}`);
  });
  const s = r.summary;
  lines.push(
    `${s.blocking} blocking, ${s.warning} warning, ${s.info} info, ${s.ok} ok (${r.oldFormat} vs ferry, ${r.env})`,
  );
  return lines.join('\n');
}
