// What a request may name as a ref: a branch, a tag or a commit, nothing git would read as an
// option or an expression (`-x`, `main~1`, `main@{yesterday}`, `a..b`).
import { FerryError } from '../../errors.ts';

const SAFE = /^[A-Za-z0-9._/+-]+$/;

/** Throws E_PROJECT_REF_INVALID unless `ref` is a plain branch, tag or commit name. */
export function checkRef(ref: string): string {
  const ok =
    ref.length > 0 &&
    ref.length <= 255 &&
    SAFE.test(ref) &&
    !ref.startsWith('-') &&
    !ref.startsWith('/') &&
    !ref.endsWith('/') &&
    !ref.endsWith('.') &&
    !ref.endsWith('.lock') &&
    !ref.includes('..') &&
    !ref.includes('//') &&
    !ref.split('/').some((part) => part.startsWith('.'));
  if (!ok) {
    throw new FerryError('E_PROJECT_REF_INVALID', `"${ref}" is not a branch, tag or commit name`, {
      hint: 'name a branch (main), a tag (v1.2.0) or a commit (a full or abbreviated sha)',
    });
  }
  return ref;
}

/** A full or abbreviated commit id (4 to 40 hex digits). */
export function looksLikeSha(ref: string): boolean {
  return /^[0-9a-f]{4,40}$/i.test(ref);
}
