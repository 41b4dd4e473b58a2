// Environment overlays: maps merge key by key, lists and scalars replace, null means "no overrides".

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Deep-merges `overlay` onto `base` without mutating either. `undefined` in the overlay keeps the base. */
export function mergeOverlay<T>(base: T, overlay: unknown): T {
  if (overlay === null || overlay === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(overlay)) return overlay as T;
  // a Map, not property assignment: a "__proto__" key in YAML stays an ordinary key
  const out = new Map<string, unknown>(Object.entries(base));
  for (const [k, v] of Object.entries(overlay)) {
    if (v === undefined) continue;
    out.set(k, out.has(k) ? mergeOverlay(out.get(k), v) : v);
  }
  return Object.fromEntries(out) as T;
}
