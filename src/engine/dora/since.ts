// A DORA window's length as people write it: 30d, 2w, 12h, 90m (the CLI's --since and the API's
// `since` read the same words).
import { FerryError } from '../../errors.ts';

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Milliseconds of `30d`, `2w`, `12h` or `90m`; `where` names the flag or field in the error. */
export function parseSince(text: string, where: string): number {
  const m = /^(\d+)([mhdw])$/.exec(text.trim());
  const n = m ? Number(m[1]) : 0;
  if (!m || n <= 0)
    throw new FerryError('E_DURATION', `${where}: "${text}" is not a window length`, {
      hint: 'write a whole number of minutes, hours, days or weeks: 90m, 12h, 30d, 2w',
    });
  return n * (UNIT_MS[m[2] ?? 'd'] ?? 0);
}
