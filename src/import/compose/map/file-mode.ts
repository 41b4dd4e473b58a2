// A compose/Swarm file mode (`mode: 0440`) → ferry's octal text. YAML 1.2 reads 0440 as the
// number 440 and YAML 1.1 as 288: a number whose digits are all octal is read as written, any
// other number as the permission bits it is.
export function fileMode(v: unknown): string | undefined {
  if (typeof v === 'string' && /^0?[0-7]{3}$/.test(v)) return v.padStart(4, '0');
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return undefined;
  const digits = String(v);
  if (/^[0-7]{1,4}$/.test(digits) && v <= 777) return digits.padStart(4, '0');
  return v <= 0o777 ? v.toString(8).padStart(4, '0') : undefined;
}
