// What a queued preview request carries (kind `preview`, environment pr-<n>): the operation, the
// pull request as the event gave it, and what the operation needs.
import type { PullRequestInfo } from './pull-request.ts';

export type PreviewOp = 'sync' | 'deploy' | 'image' | 'teardown';

export interface PreviewPayload {
  op: PreviewOp;
  pr: PullRequestInfo;
  version?: string;
  /** why a teardown: closed, label removed, ttl, rm */
  reason?: string;
  /** the label a labeled/unlabeled event added or removed: only the opt-in label counts */
  label?: string;
  /** image: the repository a registry pushed `version` of */
  repository?: string;
}
