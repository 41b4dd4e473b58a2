// Runs the git CLI for a project source. Credentials reach git only through its environment
// (GIT_CONFIG_COUNT/KEY/VALUE: an http.<url>.extraHeader scoped to the repository's URL), never
// through argv, a URL, or a file; prompts and stored-credential helpers are turned off; whatever
// git prints is redacted before it can reach an error message or a log.
import { execFile } from 'node:child_process';

export interface GitAuth {
  /** the repository URL the header is scoped to */
  url: string;
  username: string;
  password: string;
}

/** A failed git command: its exit status and redacted stderr. */
export class GitFailure extends Error {
  readonly status: number | string | undefined;
  readonly stderr: string;
  constructor(args: readonly string[], status: number | string | undefined, stderr: string) {
    super(`git ${args.join(' ')} failed (${status ?? 'signal'}): ${stderr || 'no output'}`);
    this.name = 'GitFailure';
    this.status = status;
    this.stderr = stderr;
  }
}

export interface GitRunner {
  /** whether credentials are configured */
  readonly authenticated: boolean;
  /** runs git with these arguments; resolves to stdout */
  run(args: readonly string[], opts?: { env?: Record<string, string>; timeoutMs?: number }): Promise<string>;
  /** every secret this runner knows, replaced by *** */
  redact(text: string): string;
  /** the environment git runs with (for tests: prove what it holds and what argv does not) */
  environment(): Record<string, string>;
}

function authHeader(auth: GitAuth): string {
  return `Authorization: Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
}

/** The config git runs with, as environment variables (git ≥ 2.31). */
function configEnv(entries: readonly (readonly [string, string])[]): Record<string, string> {
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(entries.length) };
  entries.forEach(([k, v], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = k;
    env[`GIT_CONFIG_VALUE_${i}`] = v;
  });
  return env;
}

/** GIT_* variables passed through: where the certificate authorities are, nothing else. */
const KEEP = new Set(['GIT_SSL_CAINFO', 'GIT_SSL_CAPATH']);

/** The process environment less the GIT_* variables that could inject config or credentials of
 * their own, or log headers (GIT_TRACE_CURL, GIT_CURL_VERBOSE). */
function baseEnv(from: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(from)) {
    if (v === undefined || (/^GIT_/.test(k) && !KEEP.has(k))) continue;
    out[k] = v;
  }
  return out;
}

export function gitRunner(opts: { auth?: GitAuth; env?: NodeJS.ProcessEnv; git?: string } = {}): GitRunner {
  const git = opts.git ?? 'git';
  const secrets: string[] = [];
  const config: [string, string][] = [
    // no stored credentials are read or written, whatever the machine's git config says
    ['credential.helper', ''],
    ['core.askPass', ''],
  ];
  if (opts.auth) {
    const header = authHeader(opts.auth);
    config.push([`http.${opts.auth.url}.extraHeader`, header]);
    secrets.push(
      opts.auth.password,
      header.slice('Authorization: Basic '.length),
      encodeURIComponent(opts.auth.password),
    );
  }
  const env: Record<string, string> = {
    ...baseEnv(opts.env ?? process.env),
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
    GIT_CONFIG_NOSYSTEM: '1',
    LC_ALL: 'C',
    ...configEnv(config),
  };
  const redact = (text: string): string => {
    let out = text.replace(/(\/\/)[^/@\s]*@/g, '$1***@');
    for (const s of secrets) if (s.length >= 3) out = out.split(s).join('***');
    return out;
  };
  return {
    authenticated: opts.auth !== undefined,
    redact,
    environment: () => ({ ...env }),
    run: (args, runOpts = {}) =>
      new Promise((resolve, reject) => {
        execFile(
          git,
          [...args],
          {
            env: { ...env, ...runOpts.env },
            maxBuffer: 64 * 1024 * 1024,
            timeout: runOpts.timeoutMs ?? 300_000,
            encoding: 'utf8',
          },
          (err, stdout, stderr) => {
            if (!err) return resolve(stdout);
            const e = err as NodeJS.ErrnoException & { code?: number | string; signal?: string };
            if (e.code === 'ENOENT') {
              return reject(new GitFailure(args, 'ENOENT', `${git} is not installed or not on PATH`));
            }
            reject(new GitFailure(args, e.code ?? e.signal, redact(String(stderr).trim()).slice(0, 2000)));
          },
        );
      }),
  };
}
