// CPU and memory quantities: parsed once into integers (millicores, bytes), formatted back in
// the shortest exact Kubernetes notation. parse(format(x)) === x for every valid x.
import { FerryError } from '../errors.ts';

function quantityError(message: string, hint: string): FerryError {
  return new FerryError('E_QUANTITY', message, { hint });
}

/** Exact decimal × integer: "1.5" × 1000 → 1500, without binary floating point surprises. */
function scaleDecimal(text: string, factor: bigint): bigint | undefined {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return undefined;
  const whole = m[1] ?? '0';
  const frac = m[2] ?? '';
  const scaled = BigInt(whole + frac) * factor;
  const div = 10n ** BigInt(frac.length);
  return scaled % div === 0n ? scaled / div : undefined;
}

/** "500m" | "0.5" | 0.5 | "2" | 2 → millicores (500, 500, 500, 2000, 2000). */
export function parseCpu(input: string | number): number {
  const text = typeof input === 'number' ? String(input) : input.trim();
  let millis: bigint | undefined;
  if (/^\d+m$/.test(text)) millis = BigInt(text.slice(0, -1));
  else if (/^\d+(\.\d+)?$/.test(text)) millis = scaleDecimal(text, 1000n);
  else
    throw quantityError(
      `"${text}" is not a CPU quantity`,
      'write cores like 0.5 or 2, or millicores like 500m',
    );
  if (millis === undefined)
    throw quantityError(`CPU "${text}" is finer than one millicore`, 'use whole millicores, e.g. 250m');
  if (millis <= 0n) throw quantityError(`CPU "${text}" must be more than zero`, 'e.g. 100m');
  if (millis > BigInt(Number.MAX_SAFE_INTEGER)) throw quantityError(`CPU "${text}" is too large`, 'e.g. 64');
  return Number(millis);
}

/** millicores → "500m", "2", "1500m" (whole cores without a unit). */
export function formatCpu(millis: number): string {
  if (!Number.isSafeInteger(millis) || millis <= 0) throw new RangeError(`not a millicore count: ${millis}`);
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

const MEMORY_UNITS: Readonly<Record<string, bigint>> = {
  '': 1n,
  k: 1000n,
  K: 1000n,
  M: 1000n ** 2n,
  G: 1000n ** 3n,
  T: 1000n ** 4n,
  Ki: 1024n,
  Mi: 1024n ** 2n,
  Gi: 1024n ** 3n,
  Ti: 1024n ** 4n,
};

/** "512Mi" → 536870912, "1Gi", "256M", "1.5Gi" → bytes. A bare number below 1Mi is refused (Marathon's MiB?). */
export function parseMemory(input: string): number {
  const text = input.trim();
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|K|M|G|T)?$/.exec(text);
  if (!m) {
    const docker = /^(\d+)([kmg])b?$/i.exec(text);
    const hint = docker
      ? `Docker and Marathon sizes are binary: write ${docker[1]}${(docker[2] ?? 'm').toUpperCase()}i`
      : 'write a size with a unit, like 512Mi or 1Gi';
    throw quantityError(`"${text}" is not a memory quantity`, hint);
  }
  const unit = m[2] ?? '';
  // a bare number is bytes (as in Kubernetes) only when it is plausibly bytes: below 1Mi it is
  // almost certainly Marathon's or Docker's MiB and would starve the container
  if (
    unit === '' &&
    /^\d+$/.test(m[1] ?? '') &&
    Number(m[1]) >= 1024 ** 2 &&
    Number.isSafeInteger(Number(m[1]))
  ) {
    return Number(m[1]);
  }
  if (unit === '')
    throw quantityError(
      `memory "${text}" has no unit`,
      `write ${text}Mi if you mean MiB (Marathon's mem), or add another unit: Ki, Mi, Gi`,
    );
  const bytes = scaleDecimal(m[1] ?? '0', MEMORY_UNITS[unit] ?? 1n);
  if (bytes === undefined)
    throw quantityError(`memory "${text}" is not a whole number of bytes`, 'use a smaller unit');
  if (bytes <= 0n) throw quantityError(`memory "${text}" must be more than zero`, 'e.g. 256Mi');
  if (bytes > BigInt(Number.MAX_SAFE_INTEGER))
    throw quantityError(`memory "${text}" is too large`, 'e.g. 64Gi');
  return Number(bytes);
}

/** bytes → the largest exact unit: "512Mi", "1Gi", "1500M", or plain bytes. */
export function formatMemory(bytes: number): string {
  if (!Number.isSafeInteger(bytes) || bytes <= 0) throw new RangeError(`not a byte count: ${bytes}`);
  const b = BigInt(bytes);
  for (const unit of ['Ti', 'Gi', 'Mi', 'Ki', 'T', 'G', 'M', 'k'] as const) {
    const f = MEMORY_UNITS[unit] ?? 1n;
    if (b % f === 0n) return `${b / f}${unit}`;
  }
  return String(bytes);
}
