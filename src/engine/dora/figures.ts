// The five DORA figures of one environment's releases over a window, computed from the store's
// release summaries alone (pure: the same releases and window give the same figures).
//
// - A *change* is a deploy or promote release that ran to succeeded, failed or interrupted
//   (cancelled ones were stopped on request and count nowhere). It is in the window when it
//   ended in [from, to).
// - Deployment frequency: succeeded changes per day of the window.
// - Change lead time: for each succeeded change whose source names the oldest commit's time,
//   its end − that time (≤ 0 dropped); median and p90. Merge → deploy likewise from mergedAt.
// - Change fail rate: failed changes over changes, where a change failed when it failed or was
//   interrupted, or when the next release of its service was a rollback started within the
//   intervention time (default an hour) of its end.
// - Recovery time: per failed change, from its end to the end of the next succeeded release of
//   the same service (a rollback or a fix); median. Failures not yet recovered are counted open.
// - Rework rate: releases that happened because of a failure (rollbacks, and changes right after
//   a failed change of the same service) over all releases that ran (deploy, promote, rollback).
import type { ReleaseSummary } from '../../store/types.ts';
import { failRateBand, frequencyBand, leadTimeBand, recoveryBand, type Band } from './bands.ts';

export const DEFAULT_INTERVENTION_MS = 3_600_000;
const DAY = 86_400_000;
const WEEK = 7 * DAY;

export interface DoraWindow {
  /** ms since the epoch, inclusive */
  from: number;
  /** ms since the epoch, exclusive */
  to: number;
}

export interface Spread {
  count: number;
  medianMs: number | null;
  p90Ms: number | null;
}

export interface DoraFigures {
  frequency: { deployments: number; perDay: number; perWeek: number; band: Band | null };
  leadTime: Spread & { band: Band | null };
  mergeToDeploy: Spread;
  changeFailRate: { failed: number; changes: number; rate: number | null; band: Band | null };
  recovery: { count: number; open: number; medianMs: number | null; band: Band | null };
  reworkRate: { rework: number; releases: number; rate: number | null };
}

export interface DoraWeek extends DoraWindow {
  deployments: number;
  failed: number;
  changes: number;
  leadTimeMedianMs: number | null;
  recoveryMedianMs: number | null;
}

export interface DoraReport {
  environment: string;
  window: DoraWindow;
  interventionMs: number;
  overall: DoraFigures;
  services: ({ service: string } & DoraFigures)[];
  weeks: DoraWeek[];
}

const CHANGE_KINDS = new Set(['deploy', 'promote']);
const RAN = new Set(['succeeded', 'failed', 'interrupted']);

const isChange = (r: ReleaseSummary) => CHANGE_KINDS.has(r.kind) && RAN.has(r.outcome);
const inWindow = (r: ReleaseSummary, w: DoraWindow) =>
  r.endedAt !== undefined && r.endedAt >= w.from && r.endedAt < w.to;

/** Median (mean of the two middle values for an even count) and p90 (nearest rank). */
export function spread(values: readonly number[]): Spread {
  const v = [...values].sort((a, b) => a - b);
  const n = v.length;
  if (n === 0) return { count: 0, medianMs: null, p90Ms: null };
  const mid = Math.floor(n / 2);
  const median = n % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
  return { count: n, medianMs: median, p90Ms: v[Math.ceil(0.9 * n) - 1]! };
}

/** Each service's releases in id order, which is the order they started in. */
function byService(releases: readonly ReleaseSummary[]): Map<string, ReleaseSummary[]> {
  const out = new Map<string, ReleaseSummary[]>();
  for (const r of releases) {
    const list = out.get(r.service) ?? [];
    list.push(r);
    out.set(r.service, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.id - b.id);
  return out;
}

interface Classified {
  release: ReleaseSummary;
  failed: boolean;
  rework: boolean;
  /** ms from the failure to the next success; undefined when not failed or not recovered */
  recoveryMs: number | undefined;
}

/** Each release that ran, with whether it failed as a change, was rework, and its recovery. */
function classify(list: readonly ReleaseSummary[], interventionMs: number): Classified[] {
  const ran = list.filter((r) => RAN.has(r.outcome) && r.kind !== 'preview');
  const out: Classified[] = [];
  let previousFailed = false;
  ran.forEach((r, i) => {
    const next = ran[i + 1];
    const change = isChange(r);
    const rolledBack =
      r.outcome === 'succeeded' &&
      next?.kind === 'rollback' &&
      r.endedAt !== undefined &&
      next.startedAt - r.endedAt <= interventionMs;
    const failed = change && (r.outcome !== 'succeeded' || rolledBack);
    let recoveryMs: number | undefined;
    if (failed && r.endedAt !== undefined) {
      const fix = ran.slice(i + 1).find((x) => x.outcome === 'succeeded' && x.endedAt !== undefined);
      if (fix?.endedAt !== undefined) recoveryMs = fix.endedAt - r.endedAt;
    }
    out.push({ release: r, failed, rework: r.kind === 'rollback' || (change && previousFailed), recoveryMs });
    if (change) previousFailed = failed;
  });
  return out;
}

function figuresOf(classified: readonly Classified[], w: DoraWindow): DoraFigures {
  const days = Math.max(w.to - w.from, 1) / DAY;
  const within = classified.filter((c) => inWindow(c.release, w));
  const changes = within.filter((c) => isChange(c.release));
  const succeeded = changes.filter((c) => c.release.outcome === 'succeeded');
  const failed = changes.filter((c) => c.failed);
  const lead = spread(
    succeeded
      .map((c) => (c.release.endedAt ?? 0) - (c.release.source.commitTime ?? Infinity))
      .filter((ms) => Number.isFinite(ms) && ms > 0),
  );
  const merge = spread(
    succeeded
      .map((c) => (c.release.endedAt ?? 0) - (c.release.source.mergedAt ?? Infinity))
      .filter((ms) => Number.isFinite(ms) && ms > 0),
  );
  const recovered = failed.flatMap((c) => (c.recoveryMs === undefined ? [] : [c.recoveryMs]));
  const recovery = spread(recovered);
  const rate = changes.length ? failed.length / changes.length : null;
  const rework = within.filter((c) => c.rework).length;
  const perDay = succeeded.length / days;
  return {
    frequency: {
      deployments: succeeded.length,
      perDay,
      perWeek: perDay * 7,
      band: succeeded.length ? frequencyBand(perDay) : null,
    },
    leadTime: { ...lead, band: lead.medianMs === null ? null : leadTimeBand(lead.medianMs) },
    mergeToDeploy: merge,
    changeFailRate: {
      failed: failed.length,
      changes: changes.length,
      rate,
      band: rate === null ? null : failRateBand(rate),
    },
    recovery: {
      count: recovery.count,
      open: failed.length - recovered.length,
      medianMs: recovery.medianMs,
      band: recovery.medianMs === null ? null : recoveryBand(recovery.medianMs),
    },
    reworkRate: { rework, releases: within.length, rate: within.length ? rework / within.length : null },
  };
}

/** The weeks of a window, the last one ending at its end (the first may be shorter). */
export function weeksOf(w: DoraWindow): DoraWindow[] {
  const out: DoraWindow[] = [];
  for (let to = w.to; to > w.from; to -= WEEK) out.unshift({ from: Math.max(w.from, to - WEEK), to });
  return out;
}

/** The DORA report of one environment: overall, per service, and week by week. */
export function doraReport(
  environment: string,
  releases: readonly ReleaseSummary[],
  window: DoraWindow,
  interventionMs: number = DEFAULT_INTERVENTION_MS,
): DoraReport {
  const groups = byService(releases.filter((r) => r.environment === environment));
  const perService = new Map([...groups].map(([s, list]) => [s, classify(list, interventionMs)]));
  const all = [...perService.values()].flat();
  return {
    environment,
    window,
    interventionMs,
    overall: figuresOf(all, window),
    services: [...perService.keys()]
      .sort()
      .map((service) => ({ service, ...figuresOf(perService.get(service) ?? [], window) }))
      .filter((s) => s.changeFailRate.changes > 0 || s.reworkRate.releases > 0),
    weeks: weeksOf(window).map((wk) => {
      const f = figuresOf(all, wk);
      return {
        ...wk,
        deployments: f.frequency.deployments,
        failed: f.changeFailRate.failed,
        changes: f.changeFailRate.changes,
        leadTimeMedianMs: f.leadTime.medianMs,
        recoveryMedianMs: f.recovery.medianMs,
      };
    }),
  };
}
