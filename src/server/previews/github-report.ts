// What a preview tells GitHub: a commit status per deploy (pending → success/failure), a
// Deployment of the head commit to the transient environment pr-<n> with its statuses
// (in_progress → success/failure with the environment URL; inactive on teardown), and the one PR
// comment, edited. A GitHub failure here is logged and noted; it never fails or undoes the deploy
// (and nothing is ever deleted because of it). Without a token, nothing is sent.
import type { ServerContext } from '../context.ts';
import type { CommitState, DeploymentState } from '../github/client.ts';
import type { PreviewRecord } from '../../store/server-types.ts';
import { previewComment, type ServiceLine } from './comment.ts';

export const STATUS_CONTEXT = 'ferry/preview';

export class PreviewReporter {
  private readonly ctx: ServerContext;
  private readonly ttlSeconds: number;
  /** what GitHub refused, for the request's message */
  readonly problems: string[] = [];

  constructor(ctx: ServerContext, ttlSeconds: number) {
    this.ctx = ctx;
    this.ttlSeconds = ttlSeconds;
  }

  private targetUrl(p: PreviewRecord): string | undefined {
    const base = this.ctx.settings.github?.publicUrl;
    return base ? `${base.replace(/\/+$/, '')}/api/v1/previews/${p.number}` : undefined;
  }

  private async attempt(what: string, p: PreviewRecord, f: () => Promise<void>): Promise<void> {
    if (!this.ctx.github) return;
    try {
      await f();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.problems.push(`${what}: ${message}`);
      this.ctx.log.warn({ preview: p.number, error: message }, `could not ${what} on GitHub`);
    }
  }

  /** The comment (created once, then edited); the record's commentId is set. */
  async comment(
    p: PreviewRecord,
    o: { services?: readonly ServiceLine[]; removed?: string; waitingFor?: string } = {},
  ): Promise<void> {
    const gh = this.ctx.github;
    await this.attempt('update the pull request comment', p, async () => {
      p.commentId = await gh!.upsertComment(
        p.repository,
        p.number,
        p.commentId,
        previewComment(p, { services: o.services ?? [], ttlSeconds: this.ttlSeconds, ...o }),
      );
    });
  }

  async commitStatus(p: PreviewRecord, state: CommitState, description: string): Promise<void> {
    const gh = this.ctx.github;
    await this.attempt('set the commit status', p, () =>
      gh!.createStatus(p.repository, p.headSha, {
        state,
        description,
        context: STATUS_CONTEXT,
        targetUrl: this.targetUrl(p),
      }),
    );
  }

  /** A new Deployment of the head commit; the record's deploymentId is set. */
  async deployment(p: PreviewRecord, version: string): Promise<void> {
    const gh = this.ctx.github;
    await this.attempt('create the deployment', p, async () => {
      p.deploymentId = await gh!.createDeployment(p.repository, {
        ref: p.headSha,
        environment: p.environment,
        description: `ferry preview ${p.environment} at ${version}`,
      });
    });
  }

  async deploymentStatus(
    p: PreviewRecord,
    state: DeploymentState,
    description: string,
    environmentUrl: string | undefined,
  ): Promise<void> {
    const gh = this.ctx.github;
    const id = p.deploymentId;
    if (id === undefined) return;
    await this.attempt(`mark the deployment ${state}`, p, () =>
      gh!.createDeploymentStatus(p.repository, id, {
        state,
        description,
        environmentUrl,
        logUrl: this.targetUrl(p),
      }),
    );
  }
}
