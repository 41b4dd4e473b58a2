// Durations ("500ms", "30s", "5m", "1h30m", "2d") parsed once into seconds and formatted back.
import { FerryError } from '../errors.ts';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "1h30m" → 5400; "500ms" → 0.5. Throws E_DURATION (exit 2) on anything else. */
export function parseDuration(input: string): number {
  const text = input.trim();
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    total += Number(m[1]) * (UNIT_MS[m[2] ?? 's'] ?? 0);
    pos = re.lastIndex;
  }
  if (text === '' || pos !== text.length) {
    throw new FerryError('E_DURATION', `"${text}" is not a duration`, {
      hint: 'write e.g. 500ms, 30s, 5m, 1h or 1h30m',
    });
  }
  return Math.round(total) / 1000;
}

/** Whole seconds, rounded up (Kubernetes fields are integer seconds; never round a timeout to 0). */
export function parseDurationSeconds(input: string): number {
  return Math.ceil(parseDuration(input));
}

/** 5400 → "1h30m"; 0.5 → "500ms"; 0 → "0s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError(`not a duration: ${seconds}`);
  let ms = Math.round(seconds * 1000);
  if (ms === 0) return '0s';
  let out = '';
  for (const unit of ['d', 'h', 'm', 's', 'ms'] as const) {
    const size = UNIT_MS[unit] ?? 1;
    const n = Math.floor(ms / size);
    if (n > 0) {
      out += `${n}${unit}`;
      ms -= n * size;
    }
  }
  return out;
}
