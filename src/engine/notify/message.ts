// What a notification says, built once from a finished release and then formatted per channel.
import type { ReleaseKind } from '../../store/types.ts';

export interface ReleaseNotice {
  event: 'release.succeeded' | 'release.failed' | 'release.cancelled';
  kind: ReleaseKind;
  releaseId: number;
  service: string;
  environment: string;
  version: string;
  actor: string;
  outcome: string;
  /** why it failed; empty on success */
  message: string;
  /** previous version, when known */
  previousVersion: string | undefined;
  durationMs: number;
  steps: { name: string; outcome: string; ms: number; message: string }[];
}

const icon: Record<string, string> = { succeeded: '✅', failed: '❌', cancelled: '⚠️' };

export function summary(n: ReleaseNotice): string {
  const what =
    n.kind === 'rollback'
      ? 'rolled back to'
      : n.kind === 'promote'
        ? 'promoted'
        : n.kind === 'preview'
          ? 'previewed'
          : 'deployed';
  const from = n.previousVersion ? ` (was ${n.previousVersion})` : '';
  const secs = (n.durationMs / 1000).toFixed(1);
  if (n.outcome === 'succeeded') {
    return `${icon.succeeded} ${n.service} ${what} ${n.version} in ${n.environment}${from} by ${n.actor} — release ${n.releaseId}, ${secs}s`;
  }
  return `${icon[n.outcome] ?? '•'} ${n.service} ${n.version} in ${n.environment} ${n.outcome} — release ${n.releaseId} by ${n.actor}: ${n.message}`;
}

/** Slack incoming-webhook payload: `text` is the fallback, `blocks` the rich layout. */
export function slackPayload(n: ReleaseNotice): { text: string; blocks: object[] } {
  const text = summary(n);
  const steps = n.steps.map(
    (s) =>
      `${s.outcome === 'succeeded' ? '✓' : s.outcome === 'skipped' ? '–' : '✗'} ${s.name} ${(s.ms / 1000).toFixed(1)}s`,
  );
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: steps.join(' · ') || 'no steps' }] },
    ],
  };
}

/** Generic JSON webhook payload: the notice itself, stable field names. */
export function webhookPayload(n: ReleaseNotice): ReleaseNotice & { text: string } {
  return { ...n, text: summary(n) };
}
