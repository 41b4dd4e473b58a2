// Job health: Complete → healthy, a Failed condition → failed, and — earlier than the
// condition — more failed pods than the backoff limit allows (the Job cannot succeed any more).
import type { KObject } from '../../cluster/types.ts';
import { failed, healthy, progressing, type Health } from './types.ts';

interface JobShape {
  spec?: { backoffLimit?: number; completions?: number };
  status?: {
    succeeded?: number;
    failed?: number;
    active?: number;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

export function jobHealth(obj: KObject): Health {
  const j = obj as unknown as JobShape;
  const conds = j.status?.conditions ?? [];
  const done = (t: string) => conds.find((c) => c.type === t && c.status === 'True');
  const fail = done('Failed') ?? done('FailureTarget');
  if (fail)
    return failed(`job failed: ${fail.reason ?? ''}${fail.message ? ` (${fail.message})` : ''}`.trim());
  if (done('Complete') ?? done('SuccessCriteriaMet')) return healthy('completed');
  const failures = j.status?.failed ?? 0;
  const limit = j.spec?.backoffLimit ?? 6;
  if (failures > limit) return failed(`${failures} failed pods, backoff limit ${limit}`);
  const succeeded = j.status?.succeeded ?? 0;
  const want = j.spec?.completions ?? 1;
  return progressing(`${succeeded}/${want} completed, ${j.status?.active ?? 0} running, ${failures} failed`);
}
