// Applies the workload's `patches` to its rendered objects, last: after every object is built and
// before the config digests. A patch that targets nothing, a JSON Patch operation that does not
// apply, or a patch that would change what ferry keys on (kind, name, namespace, the labels it
// prunes and selects by) is refused with the place it was written (file:line:col).
import jsonpatch, { type Operation } from 'fast-json-patch';
import { InvalidInputError, type Issue } from '../../errors.ts';
import type { Patch, SourceRef, Workload } from '../../model/types.ts';
import { LABEL_ENVIRONMENT, LABEL_MANAGED_BY, LABEL_SERVICE } from './labels.ts';
import type { KubeObject } from './object.ts';
import { PatchShapeError, strategicMerge } from './strategic-merge.ts';

function issue(at: SourceRef, message: string, hint?: string): Issue {
  return { path: at.path, message, ...(at.loc ? { loc: at.loc } : {}), ...(hint ? { hint } : {}) };
}

const identity = (o: KubeObject): string =>
  JSON.stringify([
    o.apiVersion,
    o.kind,
    o.metadata.name,
    o.metadata.namespace,
    o.metadata.labels?.[LABEL_MANAGED_BY],
    o.metadata.labels?.[LABEL_SERVICE],
    o.metadata.labels?.[LABEL_ENVIRONMENT],
  ]);

function applyOne(o: KubeObject, p: Patch): KubeObject | Issue {
  if (p.type === 'strategic') {
    try {
      return strategicMerge(o, p.patch as Record<string, unknown>);
    } catch (e) {
      if (e instanceof PatchShapeError)
        return issue(p.at.entry, `patch of ${o.kind}/${o.metadata.name}: ${e.message}`);
      throw e;
    }
  }
  let doc = JSON.parse(JSON.stringify(o)) as KubeObject;
  const ops = p.patch as Operation[];
  for (const [i, op] of ops.entries()) {
    try {
      doc = jsonpatch.applyOperation(doc, op, true, true).newDocument;
    } catch (e) {
      if (!(e instanceof jsonpatch.JsonPatchError)) throw e;
      const why = (e.message.split('\n')[0] ?? e.name).trim();
      return issue(
        p.at.ops[i] ?? p.at.entry,
        `${op.op} ${op.path} does not apply to ${o.kind}/${o.metadata.name}: ${why}`,
        `check the path against \`ferry render\` of this service (${e.name})`,
      );
    }
  }
  return doc;
}

function targetsText(objects: readonly KubeObject[]): string {
  return objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ');
}

/** The objects with every patch applied, in order (new objects; the inputs are not changed). */
export function applyPatches(w: Workload, objects: readonly KubeObject[]): KubeObject[] {
  if (w.patches.length === 0) return [...objects];
  const out = [...objects];
  const issues: Issue[] = [];
  for (const p of w.patches) {
    const hits = out.flatMap((o, i) =>
      o.kind === p.kind && (p.name === undefined || o.metadata.name === p.name) ? [i] : [],
    );
    if (hits.length === 0) {
      issues.push(
        issue(
          p.at.target,
          `targets ${p.kind}${p.name === undefined ? '' : `/${p.name}`}, which ${w.service} does not render in ${w.environment.name}`,
          `it renders: ${targetsText(out)}`,
        ),
      );
      continue;
    }
    for (const i of hits) {
      const before = out[i]!;
      const r = applyOne(before, p);
      if (!('apiVersion' in r)) {
        issues.push(r);
        continue;
      }
      if (identity(r) !== identity(before)) {
        issues.push(
          issue(
            p.at.entry,
            `would change the apiVersion, kind, name, namespace or ferry's labels of ${before.kind}/${before.metadata.name}`,
            'ferry tracks and prunes objects by these: change other fields',
          ),
        );
        continue;
      }
      out[i] = r;
    }
  }
  if (issues.length > 0) throw new InvalidInputError(issues);
  return out;
}
