// The GitHub REST API as the previews use it: commit statuses, Deployments and their statuses, one
// pull-request comment (created once, then edited), and the list of open pull requests. The base
// URL is configurable (GitHub Enterprise: https://ghe.example.com/api/v3; tests: a local server).
// Every failure — a 4xx/5xx answer, a timeout, a body that is not JSON — is E_GITHUB with the
// status, so a caller can tell "GitHub said no" from "GitHub did not answer" and never reads an
// error as an empty answer.
import { FerryError } from '../../errors.ts';

export interface GitHubSettings {
  /** https://api.github.com, or a GitHub Enterprise /api/v3 URL */
  apiUrl: string;
  token: string | undefined;
  /** the secret of the repository's webhook */
  webhookSecret: string | undefined;
  /** where links in statuses and comments point (the server's public URL) */
  publicUrl: string | undefined;
  timeoutMs: number;
}

/** From the server's configuration, else FERRY_GITHUB_API_URL, FERRY_GITHUB_TOKEN, FERRY_GITHUB_WEBHOOK_SECRET. */
export function githubSettings(env: NodeJS.ProcessEnv, config: Partial<GitHubSettings> = {}): GitHubSettings {
  return {
    apiUrl: (config.apiUrl ?? env.FERRY_GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, ''),
    token: config.token ?? env.FERRY_GITHUB_TOKEN,
    webhookSecret: config.webhookSecret ?? env.FERRY_GITHUB_WEBHOOK_SECRET,
    publicUrl: config.publicUrl ?? env.FERRY_PUBLIC_URL,
    timeoutMs: config.timeoutMs ?? 10_000,
  };
}

export class GitHubError extends FerryError {
  /** the HTTP status; undefined when GitHub did not answer (timeout, connection) */
  readonly status: number | undefined;
  constructor(message: string, status: number | undefined, cause?: unknown) {
    super('E_GITHUB', message, {
      cause,
      hint:
        status === 401 || status === 403
          ? 'check the GitHub token and its permissions (statuses, deployments, issues: write)'
          : 'GitHub may be down or slow; ferry tries again on the next event',
    });
    this.name = 'GitHubError';
    this.status = status;
  }
}

/** GitHub answers 422 above 140 characters. */
export function statusDescription(text: string): string {
  return text.length <= 140 ? text : `${text.slice(0, 139)}…`;
}

export type CommitState = 'error' | 'failure' | 'pending' | 'success';
export type DeploymentState =
  'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';

export interface OpenPullRequest {
  number: number;
  headSha: string;
  branch: string;
  headRepository: string | undefined;
  baseRepository: string;
  labels: string[];
}

interface PullJson {
  number: number;
  head: { sha: string; ref: string; repo: { full_name: string } | null };
  base: { repo: { full_name: string } };
  labels?: { name: string }[];
}

export class GitHubClient {
  private readonly s: GitHubSettings;

  constructor(settings: GitHubSettings) {
    this.s = settings;
  }

  async request<T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T> {
    const url = `${this.s.apiUrl}${path}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          accept: 'application/vnd.github+json',
          'x-github-api-version': '2022-11-28',
          'user-agent': 'ferry',
          ...(this.s.token ? { authorization: `Bearer ${this.s.token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.s.timeoutMs),
      });
    } catch (e) {
      throw new GitHubError(
        `${method} ${path}: GitHub did not answer (${(e as Error).message})`,
        undefined,
        e,
      );
    }
    const text = await res.text();
    if (!res.ok) {
      let message = text.slice(0, 200);
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? message;
      } catch {
        // an HTML error page: keep its start
      }
      throw new GitHubError(`${method} ${path}: GitHub answered ${res.status}: ${message}`, res.status);
    }
    try {
      return (text ? JSON.parse(text) : undefined) as T;
    } catch (e) {
      throw new GitHubError(
        `${method} ${path}: GitHub answered ${res.status} with a body that is not JSON`,
        res.status,
        e,
      );
    }
  }

  async createStatus(
    repo: string,
    sha: string,
    s: { state: CommitState; description: string; context: string; targetUrl: string | undefined },
  ): Promise<void> {
    await this.request('POST', `/repos/${repo}/statuses/${sha}`, {
      state: s.state,
      description: statusDescription(s.description),
      context: s.context,
      ...(s.targetUrl ? { target_url: s.targetUrl } : {}),
    });
  }

  /** A Deployment of `ref` to a transient environment (never merged into, no required contexts). */
  async createDeployment(
    repo: string,
    d: { ref: string; environment: string; description: string },
  ): Promise<number> {
    const out = await this.request<{ id: number }>('POST', `/repos/${repo}/deployments`, {
      ref: d.ref,
      environment: d.environment,
      description: statusDescription(d.description),
      auto_merge: false,
      required_contexts: [],
      transient_environment: true,
      production_environment: false,
    });
    return out.id;
  }

  async createDeploymentStatus(
    repo: string,
    id: number,
    s: {
      state: DeploymentState;
      description: string;
      environmentUrl: string | undefined;
      logUrl: string | undefined;
    },
  ): Promise<void> {
    await this.request('POST', `/repos/${repo}/deployments/${id}/statuses`, {
      state: s.state,
      description: statusDescription(s.description),
      ...(s.environmentUrl ? { environment_url: s.environmentUrl } : {}),
      ...(s.logUrl ? { log_url: s.logUrl } : {}),
    });
  }

  /** Edits comment `id`, or creates the comment when there is none yet (or it was deleted). */
  async upsertComment(repo: string, number: number, id: number | undefined, body: string): Promise<number> {
    if (id !== undefined) {
      try {
        await this.request('PATCH', `/repos/${repo}/issues/comments/${id}`, { body });
        return id;
      } catch (e) {
        if (!(e instanceof GitHubError && e.status === 404)) throw e;
      }
    }
    return (await this.request<{ id: number }>('POST', `/repos/${repo}/issues/${number}/comments`, { body }))
      .id;
  }

  /** Every open pull request of `repo` (all pages); throws on any failure rather than answer less. */
  async openPullRequests(repo: string): Promise<OpenPullRequest[]> {
    const out: OpenPullRequest[] = [];
    for (let page = 1; page <= 50; page++) {
      const batch = await this.request<PullJson[]>(
        'GET',
        `/repos/${repo}/pulls?state=open&per_page=100&page=${page}`,
      );
      if (!Array.isArray(batch))
        throw new GitHubError(`GET /repos/${repo}/pulls: GitHub answered something that is not a list`, 200);
      for (const p of batch)
        out.push({
          number: p.number,
          headSha: p.head.sha,
          branch: p.head.ref,
          headRepository: p.head.repo?.full_name,
          baseRepository: p.base.repo.full_name,
          labels: (p.labels ?? []).map((l) => l.name),
        });
      if (batch.length < 100) break;
    }
    return out;
  }
}
