// Reading what the store wrote into an object: its data map, and JSON that must parse (an object
// edited by hand or written by another version is a StoreError naming it, never a wrong record).
import type { KObject } from '../../cluster/types.ts';
import { StoreError } from '../errors.ts';

/** A Secret's or ConfigMap's data (base64 values in a Secret). */
export function dataOf(o: KObject): Record<string, string> {
  const data = o.data;
  return data && typeof data === 'object' ? (data as Record<string, string>) : {};
}

export function readJson<T>(text: string | undefined, what: string, name: string): T {
  try {
    if (text === undefined) throw new Error('missing');
    return JSON.parse(text) as T;
  } catch (e) {
    throw new StoreError(`the store object ${name} has an unreadable ${what}`, e);
  }
}
