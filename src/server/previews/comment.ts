// The ONE comment ferry keeps on a pull request: what the preview is (state, version, commit), a
// line per service with its URL, and when it goes away. Edited on every update, never posted
// again (GitHub's secondary rate limits punish a comment per push). Deterministic text.
import { formatDuration } from '../../model/duration.ts';
import type { PreviewRecord } from '../../store/server-types.ts';

export interface ServiceLine {
  service: string;
  outcome: string;
  url: string | undefined;
}

const STATE: Record<PreviewRecord['state'], string> = {
  waiting: '⏳ waiting for the image',
  deploying: '🚧 deploying',
  ready: '✅ ready',
  failed: '❌ failed',
  refused: '⛔ not created',
};

export function previewComment(
  p: PreviewRecord,
  o: { services: readonly ServiceLine[]; ttlSeconds: number; removed?: string; waitingFor?: string },
): string {
  const lines = ['<!-- ferry:preview -->', `### ferry preview \`${p.environment}\``, ''];
  if (o.removed) {
    lines.push(`🗑️ removed: ${o.removed}.`);
    return lines.join('\n');
  }
  lines.push(
    `**${STATE[p.state]}**${p.version ? ` · version \`${p.version}\`` : ''} · commit ${p.headSha.slice(0, 7)} · namespace \`${p.namespace}\``,
  );
  if (p.message) lines.push('', p.message);
  if (p.state === 'waiting' && o.waitingFor)
    lines.push(
      '',
      `It deploys when the registry reports the push of \`${o.waitingFor}\` (auto-deploy hook), or when CI runs \`ferry preview deploy --pr ${p.number} --version ${o.waitingFor}\``,
    );
  if (o.services.length > 0) {
    lines.push('', '| service | state | URL |', '|---|---|---|');
    for (const s of o.services) lines.push(`| ${s.service} | ${s.outcome} | ${s.url ?? '—'} |`);
  }
  if (p.state !== 'refused')
    lines.push(
      '',
      `Removed when the pull request closes, or after ${formatDuration(o.ttlSeconds)} without an update.`,
    );
  return lines.join('\n');
}
