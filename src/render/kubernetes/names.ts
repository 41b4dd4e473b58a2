// Object names and label values Kubernetes accepts, derived deterministically from ferry's names.
import { createHash } from 'node:crypto';

/** Short stable hash used when a name has to be shortened. */
export function shortHash(s: string, length = 8): string {
  return createHash('sha256').update(s).digest('hex').slice(0, length);
}

function trimEnds(s: string, ok: RegExp): string {
  let start = 0;
  let end = s.length;
  while (start < end && !ok.test(s[start]!)) start++;
  while (end > start && !ok.test(s[end - 1]!)) end--;
  return s.slice(start, end);
}

const alnumLower = /[a-z0-9]/;
const alnum = /[A-Za-z0-9]/;

/**
 * A DNS-1123 name (lowercase letters, digits, "-" and "."; starts and ends alphanumeric) of at most
 * `max` characters. Longer names keep their start and end with "-<hash8>" of the full name, so two
 * long names that differ only at the end stay distinct.
 */
const validObjectName = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const validLabelValue = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

export function objectName(raw: string, max = 63): string {
  if (raw.length <= max && validObjectName.test(raw) && !raw.includes('--')) return raw;
  const cleaned = trimEnds(
    raw
      .toLowerCase()
      .replace(/[^a-z0-9.-]+/g, '-')
      .replace(/-{2,}/g, '-'),
    alnumLower,
  );
  const name = cleaned === '' ? 'x' : cleaned;
  if (name.length <= max) return name;
  const suffix = `-${shortHash(raw)}`;
  return trimEnds(name.slice(0, max - suffix.length), alnumLower) + suffix;
}

/** A DNS-1123 label: like objectName without dots (Service and CronJob names, container names). */
export function labelName(raw: string, max = 63): string {
  return objectName(raw.replace(/\./g, '-'), max);
}

/** A valid label value (≤ 63, [A-Za-z0-9_.-], alphanumeric at both ends; may be empty). */
export function labelValue(raw: string): string {
  if (validLabelValue.test(raw)) return raw;
  const cleaned = trimEnds(raw.replace(/[^A-Za-z0-9_.-]+/g, '_'), alnum);
  if (cleaned.length <= 63) return cleaned;
  const suffix = `_${shortHash(raw)}`;
  return trimEnds(cleaned.slice(0, 63 - suffix.length), alnum) + suffix;
}
