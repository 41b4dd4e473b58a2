// The small records beside the releases: a release's steps (a Secret of its own, so recording a
// step rewrites a few hundred bytes, not the release body; a Secret because step messages can
// quote what a migration printed), the history head of a (service, environment) pair (a ConfigMap:
// the next id and the kinds its releases applied), and one ConfigMap per audit entry.
import type { KObject } from '../../cluster/types.ts';
import { StoreError } from '../errors.ts';
import { decodeEnum } from '../sql-rows.ts';
import { dataOf, readJson } from './object-data.ts';
import { STEP_NAMES, STEP_OUTCOMES, type AuditEntry, type Step } from '../types.ts';
import { LABEL_ID, STEPS_SECRET_TYPE, auditName, historyName, recordLabels, stepsName } from './names.ts';

const rv = (live: KObject | undefined) =>
  live?.metadata.resourceVersion ? { resourceVersion: live.metadata.resourceVersion } : {};

// --- steps ---------------------------------------------------------------------------------------

export function stepsSecret(
  key: { service: string; environment: string; id: number },
  steps: readonly Step[],
  live: KObject | undefined,
): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: stepsName(key.service, key.environment, key.id),
      labels: { ...recordLabels('steps', key.service, key.environment), [LABEL_ID]: String(key.id) },
      ...rv(live),
    },
    type: STEPS_SECRET_TYPE,
    data: { steps: Buffer.from(JSON.stringify(steps)).toString('base64') },
  };
}

export function decodeSteps(o: KObject | undefined): Step[] {
  if (!o) return [];
  const packed = dataOf(o).steps;
  const raw = readJson<Step[]>(
    packed === undefined ? undefined : Buffer.from(packed, 'base64').toString('utf8'),
    'step list',
    o.metadata.name,
  );
  return raw
    .map((s) => ({
      seq: Number(s.seq),
      name: decodeEnum(STEP_NAMES, s.name, 'a step name'),
      outcome: decodeEnum(STEP_OUTCOMES, s.outcome, 'a step outcome'),
      message: String(s.message ?? ''),
      startedAt: Number(s.startedAt),
      endedAt: s.endedAt === undefined || s.endedAt === null ? undefined : Number(s.endedAt),
    }))
    .sort((a, b) => a.seq - b.seq);
}

// --- the history head of a pair ------------------------------------------------------------------

export interface HistoryHead {
  /** the id the next release gets: larger than every id given so far */
  nextId: number;
  /** every kind any release applied, sorted */
  kinds: string[];
}

export function historyConfigMap(
  service: string,
  environment: string,
  head: HistoryHead,
  live: KObject | undefined,
): KObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: historyName(service, environment),
      labels: recordLabels('history', service, environment),
      annotations: { 'store.ferry.dev/pair': JSON.stringify({ service, environment }) },
      ...rv(live),
    },
    data: { nextId: String(head.nextId), kinds: JSON.stringify(head.kinds) },
  };
}

export function decodeHistory(o: KObject | undefined): HistoryHead | undefined {
  if (!o) return undefined;
  const d = dataOf(o);
  const nextId = Number(d.nextId);
  if (!Number.isInteger(nextId) || nextId < 1) {
    throw new StoreError(`the store object ${o.metadata.name} has an unreadable next id "${d.nextId}"`);
  }
  return { nextId, kinds: readJson<string[]>(d.kinds ?? '[]', 'kind list', o.metadata.name) };
}

/** The (service, environment) pair a history head is of. */
export function pairOf(o: KObject): { service: string; environment: string } {
  return readJson(o.metadata.annotations?.['store.ferry.dev/pair'], 'pair', o.metadata.name);
}

// --- audit ---------------------------------------------------------------------------------------

export function auditConfigMap(e: AuditEntry, unique: string): KObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: auditName(e.service, e.environment, e.at, unique),
      labels: recordLabels('audit', e.service, e.environment),
    },
    data: {
      at: String(e.at),
      actor: e.actor,
      action: e.action,
      service: e.service,
      environment: e.environment,
      ...(e.releaseId !== undefined ? { releaseId: String(e.releaseId) } : {}),
      detail: e.detail,
    },
  };
}

export function decodeAudit(o: KObject): AuditEntry {
  const d = dataOf(o);
  const at = Number(d.at);
  if (!Number.isFinite(at)) throw new StoreError(`the audit entry ${o.metadata.name} has no time`);
  return {
    at,
    actor: d.actor ?? '',
    action: d.action ?? '',
    service: d.service ?? '',
    environment: d.environment ?? '',
    releaseId: d.releaseId === undefined ? undefined : Number(d.releaseId),
    detail: d.detail ?? '',
  };
}
