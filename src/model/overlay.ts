// Environment overlays: maps merge key by key, lists and scalars replace, null means "no overrides".

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Deep-merges `overlay` onto `base` without mutating either. `undefined` in the overlay keeps the base. */
export function mergeOverlay<T>(base: T, overlay: unknown): T {
  if (overlay === null || overlay === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(overlay)) return overlay as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(overlay)) {
    if (v === undefined) continue;
    out[k] = k in base ? mergeOverlay(base[k], v) : v;
  }
  return out as T;
}
