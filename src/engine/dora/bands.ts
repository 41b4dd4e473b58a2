// The DORA performance bands (2023 report, as Apache DevLake transcribes them), each a closed
// table of upper bounds: a figure at or under a bound is in that band. Rework rate has no
// published bands, so it has none here.
export const BANDS = ['elite', 'high', 'medium', 'low'] as const;
export type Band = (typeof BANDS)[number];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Deployments per day: elite on demand (at least daily), high at least weekly, medium at least monthly. */
export function frequencyBand(perDay: number): Band {
  if (perDay >= 1) return 'elite';
  if (perDay >= 1 / 7) return 'high';
  if (perDay >= 1 / 30) return 'medium';
  return 'low';
}

/** Change lead time: elite under a day, high under a week, medium under a month. */
export function leadTimeBand(ms: number): Band {
  if (ms < DAY) return 'elite';
  if (ms < 7 * DAY) return 'high';
  if (ms < 30 * DAY) return 'medium';
  return 'low';
}

/** Change fail rate (0…1): elite ≤ 5 %, high ≤ 10 %, medium ≤ 15 %. */
export function failRateBand(rate: number): Band {
  if (rate <= 0.05) return 'elite';
  if (rate <= 0.1) return 'high';
  if (rate <= 0.15) return 'medium';
  return 'low';
}

/** Failed deployment recovery time: elite under an hour, high under a day, medium under a week. */
export function recoveryBand(ms: number): Band {
  if (ms < HOUR) return 'elite';
  if (ms < DAY) return 'high';
  if (ms < 7 * DAY) return 'medium';
  return 'low';
}
