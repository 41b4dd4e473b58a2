// A pull request as the previews need it, from GitHub's `pull_request` webhook payload (or its
// REST form when resyncing), and who gets a preview: with an opt-in label only labelled pull
// requests; a fork's (untrusted code) only once a maintainer added the label.
import { z } from 'zod';
import type { Previews } from '../../model/types.ts';
import type { PreviewRecord } from '../../store/server-types.ts';
import type { OpenPullRequest } from '../github/client.ts';

export interface PullRequestInfo {
  number: number;
  /** owner/name of the base repository */
  repository: string;
  branch: string;
  headSha: string;
  fork: boolean;
  labels: string[];
}

const repo = z.object({ full_name: z.string().min(1) }).passthrough();

/** The fields of a `pull_request` event ferry reads (octokit's pull-request schema). */
export const pullRequestEvent = z
  .object({
    action: z.string(),
    number: z.number().int().positive(),
    label: z.object({ name: z.string() }).passthrough().optional(),
    repository: repo,
    pull_request: z
      .object({
        head: z
          .object({ sha: z.string().regex(/^[0-9a-f]{7,64}$/), ref: z.string(), repo: repo.nullable() })
          .passthrough(),
        base: z.object({ repo }).passthrough(),
        labels: z.array(z.object({ name: z.string() }).passthrough()).default([]),
      })
      .passthrough(),
    sender: z.object({ login: z.string() }).passthrough().optional(),
  })
  .passthrough();
export type PullRequestEvent = z.infer<typeof pullRequestEvent>;

export function fromEvent(e: PullRequestEvent): PullRequestInfo {
  const base = e.pull_request.base.repo.full_name;
  return {
    number: e.number,
    repository: e.repository.full_name,
    branch: e.pull_request.head.ref,
    headSha: e.pull_request.head.sha,
    // a deleted fork has no head repository: treat it as a fork
    fork: e.pull_request.head.repo?.full_name !== base,
    labels: e.pull_request.labels.map((l) => l.name).sort(),
  };
}

export function fromListing(p: OpenPullRequest): PullRequestInfo {
  return {
    number: p.number,
    repository: p.baseRepository,
    branch: p.branch,
    headSha: p.headSha,
    fork: p.headRepository !== p.baseRepository,
    labels: [...p.labels].sort(),
  };
}

/** The pull request a preview was made for, as its record keeps it. */
export function fromRecord(p: PreviewRecord): PullRequestInfo {
  return {
    number: p.number,
    repository: p.repository,
    branch: p.branch,
    headSha: p.headSha,
    fork: p.fork,
    labels: [...p.labels],
  };
}

/** The label a pull request needs for a preview, or undefined when it needs none. */
export function requiredLabel(previews: Previews, pr: PullRequestInfo): string | undefined {
  return pr.fork ? previews.forkLabel : previews.label;
}

/** Whether the pull request gets a preview now; else why not. */
export function eligibility(
  previews: Previews,
  pr: PullRequestInfo,
): { ok: true } | { ok: false; why: string } {
  const need = requiredLabel(previews, pr);
  if (need === undefined || pr.labels.includes(need)) return { ok: true };
  return {
    ok: false,
    why: pr.fork
      ? `a pull request from a fork gets a preview once a maintainer adds the label "${need}"`
      : `previews are opt-in: add the label "${need}"`,
  };
}
