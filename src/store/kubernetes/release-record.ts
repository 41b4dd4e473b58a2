// A release as a Secret, like Helm's release Secrets: the body (objects, down migration,
// verification) gzipped in `data.release` — base64 on the wire as all Secret data, stored as the
// gzip bytes (Helm base64s twice; this does not, so a Secret's 1 MiB holds a third more) — the
// summary as a JSON annotation and the outcome as a label, so lists and selectors never decode
// bodies. Finishing a release rewrites only its outcome label and the message and end annotations.
import { gunzipSync, gzipSync } from 'node:zlib';
import type { KObject } from '../../cluster/types.ts';
import { StoreError } from '../errors.ts';
import { decodeEnum } from '../sql-rows.ts';
import {
  RELEASE_KINDS,
  RELEASE_OUTCOMES,
  type FinalOutcome,
  type Release,
  type ReleaseSummary,
  type StoredObject,
  type Verification,
} from '../types.ts';
import { ReleaseTooLargeError } from './errors.ts';
import { dataOf, readJson } from './object-data.ts';
import {
  ANNOTATION_ENDED_AT,
  ANNOTATION_MESSAGE,
  ANNOTATION_SUMMARY,
  LABEL_ID,
  LABEL_KIND,
  LABEL_OUTCOME,
  RELEASE_SECRET_TYPE,
  recordLabels,
  releaseName,
} from './names.ts';

/** What the API server accepts as the data of one Secret. */
export const MAX_SECRET_DATA_BYTES = 1024 * 1024;
/** Annotations share 256 KiB per object: a longer message is cut to this, marked. */
export const MAX_MESSAGE_CHARS = 16 * 1024;

interface Body {
  objects: readonly StoredObject[];
  migrateDown: StoredObject | undefined;
  verification: Verification;
}

type Immutable = Omit<ReleaseSummary, 'outcome' | 'message' | 'endedAt'>;

/** The gzip of a release's body; a ReleaseTooLargeError when it cannot fit one Secret. */
export function encodeBody(r: Body & { service: string; environment: string }): Buffer {
  const body: Body = { objects: r.objects, migrateDown: r.migrateDown, verification: r.verification };
  const gz = gzipSync(JSON.stringify(body), { level: 9 });
  if (gz.length > MAX_SECRET_DATA_BYTES) {
    throw new ReleaseTooLargeError(
      `the release of ${r.service} in ${r.environment} (${r.objects.length} objects)`,
      gz.length,
      MAX_SECRET_DATA_BYTES,
    );
  }
  return gz;
}

function cut(message: string): string {
  return message.length <= MAX_MESSAGE_CHARS ? message : `${message.slice(0, MAX_MESSAGE_CHARS)}… (cut)`;
}

function stateLabels(s: ReleaseSummary): Record<string, string> {
  return {
    ...recordLabels('release', s.service, s.environment),
    [LABEL_OUTCOME]: s.outcome,
    [LABEL_KIND]: s.kind,
    [LABEL_ID]: String(s.id),
  };
}

function stateAnnotations(s: ReleaseSummary): Record<string, string> {
  const immutable: Immutable = {
    id: s.id,
    service: s.service,
    environment: s.environment,
    namespace: s.namespace,
    version: s.version,
    manifestDigest: s.manifestDigest,
    kind: s.kind,
    sourceRelease: s.sourceRelease,
    actor: s.actor,
    source: s.source,
    startedAt: s.startedAt,
  };
  return {
    [ANNOTATION_SUMMARY]: JSON.stringify(immutable),
    [ANNOTATION_MESSAGE]: cut(s.message),
    ...(s.endedAt !== undefined ? { [ANNOTATION_ENDED_AT]: String(s.endedAt) } : {}),
  };
}

/** The Secret of a release: its summary (the state included) and its gzipped body. */
export function releaseSecret(s: ReleaseSummary, body: Buffer): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: releaseName(s.service, s.environment, s.id),
      labels: stateLabels(s),
      annotations: stateAnnotations(s),
    },
    type: RELEASE_SECRET_TYPE,
    data: { release: body.toString('base64') },
  };
}

/** The live Secret with the release ended: a compare-and-set on the version read. */
export function finishedSecret(
  live: KObject,
  outcome: FinalOutcome,
  message: string,
  endedAt: number,
): KObject {
  const s: ReleaseSummary = { ...decodeSummary(live), outcome, message, endedAt };
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: live.metadata.name,
      resourceVersion: live.metadata.resourceVersion,
      labels: { ...live.metadata.labels, ...stateLabels(s) },
      annotations: { ...live.metadata.annotations, ...stateAnnotations(s) },
    },
    type: RELEASE_SECRET_TYPE,
    data: dataOf(live),
  };
}

function checkType(o: KObject): void {
  const type = (o as { type?: unknown }).type;
  if (type !== RELEASE_SECRET_TYPE) {
    throw new StoreError(
      `the release record ${o.metadata.name} is of type ${String(type)}, which this version of ferry does not read`,
    );
  }
}

export function decodeSummary(o: KObject): ReleaseSummary {
  checkType(o);
  const name = o.metadata.name;
  const a = o.metadata.annotations ?? {};
  const s = readJson<Immutable>(a[ANNOTATION_SUMMARY], 'summary', name);
  const ended = a[ANNOTATION_ENDED_AT];
  return {
    id: Number(s.id),
    service: String(s.service),
    environment: String(s.environment),
    namespace: String(s.namespace),
    version: String(s.version),
    manifestDigest: String(s.manifestDigest),
    kind: decodeEnum(RELEASE_KINDS, s.kind, 'a release kind'),
    sourceRelease: s.sourceRelease ?? undefined,
    actor: String(s.actor),
    source: s.source ?? {},
    outcome: decodeEnum(RELEASE_OUTCOMES, o.metadata.labels?.[LABEL_OUTCOME], 'a release outcome'),
    message: a[ANNOTATION_MESSAGE] ?? '',
    startedAt: Number(s.startedAt),
    endedAt: ended === undefined ? undefined : Number(ended),
  };
}

export function decodeRelease(o: KObject): Release {
  const summary = decodeSummary(o);
  const packed = dataOf(o).release;
  let text: string | undefined;
  try {
    text = packed === undefined ? undefined : gunzipSync(Buffer.from(packed, 'base64')).toString('utf8');
  } catch (e) {
    throw new StoreError(`the release record ${o.metadata.name} has a body that does not decompress`, e);
  }
  const body = readJson<Body>(text, 'body', o.metadata.name);
  return {
    ...summary,
    objects: body.objects,
    migrateDown: body.migrateDown ?? undefined,
    verification: body.verification,
  };
}
