// The `github:` section of the server's configuration file: the webhook's secret, the API (GitHub
// Enterprise: its /api/v3 URL) and its token, the server's public URL for links. Values may say
// ${ENV_VAR} (write secrets so), read when the server starts; what the file leaves out comes from
// FERRY_GITHUB_WEBHOOK_SECRET, FERRY_GITHUB_API_URL, FERRY_GITHUB_TOKEN and FERRY_PUBLIC_URL.
import { z } from 'zod';
import { interpolate } from '../../engine/interpolate.ts';
import { githubSettings, type GitHubSettings } from './client.ts';

export const githubConfigSchema = z
  .object({
    webhookSecret: z.string().min(1).optional().describe("The webhook's secret; write ${ENV_VAR}."),
    apiUrl: z.string().url().optional().describe('Default https://api.github.com.'),
    token: z.string().min(1).optional().describe('Statuses, deployments, issue comments; write ${ENV_VAR}.'),
    publicUrl: z.string().url().optional().describe("The server's public URL, for links on GitHub."),
  })
  .strict()
  .describe('GitHub: pull-request previews (docs/previews.md).');

export type GitHubConfig = z.infer<typeof githubConfigSchema>;

export function resolveGitHubConfig(c: GitHubConfig | undefined, env: NodeJS.ProcessEnv): GitHubSettings {
  const at = (v: string | undefined, key: string) =>
    v === undefined ? undefined : interpolate(v, `github.${key}`, env);
  const webhookSecret = at(c?.webhookSecret, 'webhookSecret');
  const apiUrl = at(c?.apiUrl, 'apiUrl');
  const token = at(c?.token, 'token');
  const publicUrl = at(c?.publicUrl, 'publicUrl');
  return githubSettings(env, {
    ...(webhookSecret !== undefined ? { webhookSecret } : {}),
    ...(apiUrl !== undefined ? { apiUrl } : {}),
    ...(token !== undefined ? { token } : {}),
    ...(publicUrl !== undefined ? { publicUrl } : {}),
  });
}
