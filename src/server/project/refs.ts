// What a request may name as a ref: a branch, a tag or a commit, nothing git would read as an
// option or an expression (`-x`, `main~1`, `main@{yesterday}`, `a..b`).
import { FerryError } from '../../errors.ts';

const SAFE = /^[A-Za-z0-9._/+-]+$/;

/** Whether `ref` is a plain branch, tag or commit name. */
export function isRefName(ref: string): boolean {
  return (
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
    !ref.split('/').some((part) => part.startsWith('.'))
  );
}

/** Throws E_PROJECT_REF_INVALID unless `ref` is a plain branch, tag or commit name. */
export function checkRef(ref: string): string {
  if (!isRefName(ref)) {
    throw new FerryError('E_PROJECT_REF_INVALID', `"${ref}" is not a branch, tag or commit name`, {
      hint: 'name a branch (main), a tag (v1.2.0) or a commit (a full or abbreviated sha)',
    });
  }
  return ref;
}

/** A full commit id (SHA-1 or SHA-256): git reads it as the object, never as a ref name. An
 * abbreviated one may be a branch or tag name too ("cafe"), so it is resolved like a name. */
export function isFullSha(ref: string): boolean {
  return /^([0-9a-f]{40}|[0-9a-f]{64})$/i.test(ref);
}
