// The `project:` section of the server's config file: where the server reads the ferry files.
// Either a local folder or a git repository. Values may say ${ENV_VAR} (credentials above all),
// resolved from the server's environment when the source is opened, never written anywhere.
import { z } from 'zod';
import { InvalidInputError, type Issue } from '../../errors.ts';
import { interpolate } from '../../engine/interpolate.ts';
import { durationSchema } from '../../manifest/schema.ts';
import { parseDuration } from '../../model/duration.ts';
import { isRefName } from './refs.ts';

/** Default seconds between two fetches of a git project's branch. */
export const DEFAULT_FETCH_INTERVAL = 30;

const SCHEMES = /^(https?|file):\/\//;
/** `scheme://user:password@` or `scheme://token@`: credentials written into a URL. */
const USERINFO = /^[a-z][a-z0-9+.-]*:\/\/[^/@]*@/i;

const urlSchema = z
  .string()
  .min(1)
  .refine((u) => u.startsWith('${') || SCHEMES.test(u), {
    message: 'an http://, https:// or file:// URL of the repository',
  })
  .refine((u) => !USERINFO.test(u), {
    message: 'the URL holds credentials; put them under credentials (token, or username and password)',
  })
  .describe('The repository: http(s):// or file://. No credentials in it.');

const relativePath = z.string().refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), {
  message: 'a folder inside the repository, relative to its root, without ".."',
});

const credentialsSchema = z
  .object({
    token: z.string().min(1).optional().describe('An access token, sent as the password.'),
    username: z
      .string()
      .min(1)
      .optional()
      .describe('The user name; with a token, default "x-access-token" (any name works for most hosts).'),
    password: z.string().min(1).optional().describe('The password (with username).'),
  })
  .strict()
  .refine((c) => !(c.token !== undefined && c.password !== undefined), {
    message: 'give a token or a password, not both',
  })
  .refine((c) => c.password === undefined || c.username !== undefined, {
    message: 'a password needs a username',
    path: ['username'],
  })
  .refine((c) => c.token !== undefined || c.password !== undefined, {
    message: 'give a token, or a username and a password',
  })
  .describe('For http(s) remotes. Write ${ENV_VAR} rather than the secret itself.');

export const gitProjectSchema = z
  .object({
    url: urlSchema,
    branch: z.string().min(1).describe('The branch whose newest commit a request without a ref uses.'),
    path: relativePath
      .optional()
      .describe('The folder holding the ferry files, relative to the repository root. Default: the root.'),
    credentials: credentialsSchema.optional(),
    fetchInterval: z
      .union([durationSchema, z.number().min(0)])
      .optional()
      .describe(
        `Fetch the branch at most this often (seconds or a duration). Default ${DEFAULT_FETCH_INTERVAL}s.`,
      ),
  })
  .strict();

export const projectConfigSchema = z
  .union([
    z.object({ dir: z.string().min(1).describe('A local folder, loaded as it is.') }).strict(),
    z.object({ git: gitProjectSchema }).strict(),
  ])
  .describe('Where the server reads the ferry files: a local folder or a git repository.');

export type ProjectConfig = z.infer<typeof projectConfigSchema>;

/** A git project with every ${VAR} resolved and every default filled. */
export interface GitProject {
  url: string;
  branch: string;
  /** '' for the repository root; no leading or trailing slash */
  path: string;
  credentials: { username: string; password: string } | undefined;
  /** seconds */
  fetchInterval: number;
}

export type ResolvedProject = { kind: 'dir'; dir: string } | { kind: 'git'; git: GitProject };

function check(ok: boolean, path: string, message: string): void {
  if (!ok) throw new InvalidInputError([{ path, message } satisfies Issue]);
}

/** Resolves ${VAR}s from `env` and fills defaults; checks again what a variable may have changed. */
export function resolveProjectConfig(
  config: ProjectConfig,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedProject {
  const at = (value: string, path: string): string => interpolate(value, `project.${path}`, env);
  if ('dir' in config) return { kind: 'dir', dir: at(config.dir, 'dir') };
  const g = config.git;
  const url = at(g.url, 'git.url');
  check(SCHEMES.test(url), 'project.git.url', `"${url}" is not an http://, https:// or file:// URL`);
  check(
    !USERINFO.test(url),
    'project.git.url',
    'the URL holds credentials; put them under credentials (token, or username and password)',
  );
  const path = g.path === undefined ? '' : at(g.path, 'git.path').replace(/^\.\/?|\/+$/g, '');
  check(
    !path.startsWith('/') && !path.split('/').includes('..'),
    'project.git.path',
    'a folder inside the repository, relative to its root, without ".."',
  );
  const branch = at(g.branch, 'git.branch');
  check(isRefName(branch), 'project.git.branch', `"${branch}" is not a branch name`);
  const c = g.credentials;
  const credentials = c
    ? {
        username: c.username === undefined ? 'x-access-token' : at(c.username, 'git.credentials.username'),
        password:
          c.token !== undefined
            ? at(c.token, 'git.credentials.token')
            : at(c.password ?? '', 'git.credentials.password'),
      }
    : undefined;
  const interval = g.fetchInterval ?? DEFAULT_FETCH_INTERVAL;
  return {
    kind: 'git',
    git: {
      url: url.replace(/\/+$/, ''),
      branch,
      path,
      credentials,
      fetchInterval: typeof interval === 'number' ? interval : parseDuration(interval),
    },
  };
}
