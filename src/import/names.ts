// Names and images as the old platforms write them → ferry's conventions.

/** Any name → a DNS label (lowercase letters, digits, "-", starting with a letter, ≤ 63). */
export function toDnsLabel(name: string): string {
  let s = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[-0-9]+/, '')
    .replace(/-+$/, '');
  if (s === '') s = 'svc';
  if (s.length > 63) s = s.slice(0, 63).replace(/-+$/, '');
  return s;
}

/** "registry:5000/team/app:1.2@sha256:…" → repository + tag (digest kept with the tag). */
export function splitImage(image: string): { repository: string; tag: string | undefined } {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  let tag: string | undefined;
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  if (tag === '') tag = undefined;
  if (digest !== undefined) tag = tag === undefined ? `@${digest}` : `${tag}@${digest}`;
  return { repository: rest, tag };
}

/** Environment variable name for a secret or file name: "db-password.txt" → DB_PASSWORD_TXT. */
export function toEnvName(name: string): string {
  const s = name.replace(/[^A-Za-z0-9_]+/g, '_').toUpperCase();
  return /^[A-Z_]/.test(s) ? s : `_${s}`;
}
