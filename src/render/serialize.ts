// Deterministic output of rendered documents: keys sorted at every level, undefined dropped,
// arrays in their given order. YAML (yaml.ts) quotes every string a YAML 1.1 or 1.2 reader could
// take for something else ("yes", "on", "0755", "1.0"); documents are separated by "---".
import { yamlDocument } from './yaml.ts';

export type OutputFormat = 'yaml' | 'json';

/** A deep copy with object keys in code-point order and undefined values removed. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const src = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(src).sort()) {
    const v = src[k];
    if (v !== undefined) out[k] = sortKeys(v);
  }
  return out;
}

export function toYamlDocument(doc: unknown): string {
  return yamlDocument(doc);
}

/** A multi-document YAML stream. */
export function toYamlStream(docs: readonly unknown[]): string {
  return docs.map(toYamlDocument).join('---\n');
}

export function toJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

/** Kubernetes objects as one JSON document: a v1 List, as `kubectl get -o json` prints. */
export function toKubeList(items: readonly unknown[]): unknown {
  return { apiVersion: 'v1', kind: 'List', items };
}
