// One bare mirror of a repository in the cache (its branches and tags, nothing checked out),
// fetched with the git CLI. Fetches are shared: callers that arrive while one runs wait for it,
// and the branch is fetched at most every fetchInterval seconds (counted from the mirror's
// FETCH_HEAD, so the interval holds across restarts).
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { FerryError } from '../../errors.ts';
import { GitFailure, type GitRunner } from './git.ts';

const AUTH =
  /authentication failed|could not read (username|password)|terminal prompts disabled|returned error: 40[13]|access denied|invalid (username|credentials)/i;

/** The FerryError for a failed fetch: bad credentials or an unreachable remote; redacted. */
export function fetchError(url: string, err: unknown, authenticated: boolean): FerryError {
  const detail = err instanceof GitFailure ? err.stderr.split('\n').slice(-3).join(' ').trim() : String(err);
  if (err instanceof GitFailure && AUTH.test(err.stderr)) {
    const what = authenticated ? 'refused the credentials' : 'asks for credentials and none are configured';
    return new FerryError('E_PROJECT_AUTH', `the git remote ${url} ${what}: ${detail}`, {
      hint: authenticated
        ? 'check the project credentials in the server configuration (the token or the password, and its access to the repository)'
        : 'give the project credentials (a token, or a username and a password) in the server configuration',
      cause: err,
    });
  }
  return new FerryError('E_PROJECT_FETCH', `cannot fetch ${url}: ${detail || 'git failed'}`, {
    hint: 'check that the repository URL is right and reachable from the server',
    cause: err,
  });
}

export interface MirrorOptions {
  /** milliseconds since the epoch; injectable for tests */
  now?: () => number;
}

export class Mirror {
  readonly dir: string;
  readonly url: string;
  private readonly git: GitRunner;
  private readonly now: () => number;
  private ready: Promise<void> | undefined;
  /** the fetch running now, numbered in the order fetches started */
  private running: { gen: number; done: Promise<void> } | undefined;
  /** a fetch queued behind the running one, for callers that need one newer than it */
  private pending: Promise<void> | undefined;
  private started = 0;
  private succeeded = 0;
  private lastFetched: number | undefined;

  constructor(dir: string, url: string, git: GitRunner, opts: MirrorOptions = {}) {
    this.dir = dir;
    this.url = url;
    this.git = git;
    this.now = opts.now ?? Date.now;
  }

  private gitIn(args: readonly string[]): Promise<string> {
    return this.git.run([`--git-dir=${this.dir}`, ...args]);
  }

  /** Creates the bare mirror once (atomically: a half-made one is never left under its name). */
  private ensure(): Promise<void> {
    this.ready ??= (async () => {
      if (existsSync(`${this.dir}/HEAD`)) {
        this.lastFetched = existsSync(`${this.dir}/FETCH_HEAD`)
          ? statSync(`${this.dir}/FETCH_HEAD`).mtimeMs
          : undefined;
        return;
      }
      mkdirSync(dirname(this.dir), { recursive: true });
      const tmp = `${this.dir}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
      try {
        await this.git.run(['init', '--bare', '--quiet', tmp]);
        const cfg = (k: string, v: string, add = false): Promise<string> =>
          this.git.run([`--git-dir=${tmp}`, 'config', ...(add ? ['--add'] : []), k, v]);
        await cfg('remote.origin.url', this.url);
        await cfg('remote.origin.fetch', '+refs/heads/*:refs/heads/*');
        await cfg('remote.origin.fetch', '+refs/tags/*:refs/tags/*', true);
        await cfg('gc.autoDetach', 'false');
        if (!existsSync(`${this.dir}/HEAD`)) renameSync(tmp, this.dir);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    })().catch((err: unknown) => {
      this.ready = undefined;
      throw fetchError(this.url, err, this.git.authenticated);
    });
    return this.ready;
  }

  private startFetch(): Promise<void> {
    const gen = ++this.started;
    const done = this.gitIn(['fetch', '--prune', '--quiet', 'origin'])
      .then(
        () => {
          this.lastFetched = this.now();
          this.succeeded = gen;
        },
        (err: unknown) => {
          throw fetchError(this.url, err, this.git.authenticated);
        },
      )
      .finally(() => {
        if (this.running?.gen === gen) this.running = undefined;
      });
    this.running = { gen, done };
    return done;
  }

  /** A fetch numbered above `seen`: the running one, the queued one, or a new one. */
  private fetchAfter(seen: number): Promise<void> {
    if (this.running && this.running.gen > seen) return this.running.done;
    if (this.pending) return this.pending;
    if (!this.running) return this.startFetch();
    const queued = this.running.done
      .catch(() => undefined)
      .then(() => {
        this.pending = undefined;
        return this.startFetch();
      });
    this.pending = queued;
    return queued;
  }

  /** Fetches now: a fetch that starts after this call (or one queued already). */
  async fetch(): Promise<void> {
    await this.ensure();
    await this.fetchAfter(this.started);
  }

  /** Fetches unless the last fetch ended less than `seconds` ago (joins one running). */
  async fresh(seconds: number): Promise<void> {
    await this.ensure();
    if (this.lastFetched !== undefined && this.now() - this.lastFetched < seconds * 1000) return;
    await this.fetchAfter(this.started - 1);
  }

  /** How many fetches this process started (for metrics and tests). */
  get fetches(): number {
    return this.started;
  }

  /** The fetch count now: pass it to `refetchSince` to ask for a fetch newer than this moment. */
  mark(): number {
    return this.started;
  }

  /** Fetches unless a fetch that started after `mark` succeeded (joins one running). */
  async refetchSince(mark: number): Promise<void> {
    await this.ensure();
    if (!this.running && !this.pending && this.succeeded > mark) return;
    await this.fetchAfter(mark);
  }

  /** The commit a ref (branch, tag, full or abbreviated sha) names here, or undefined. */
  async resolve(ref: string): Promise<string | undefined> {
    await this.ensure();
    try {
      const out = await this.gitIn(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
      return out.trim() || undefined;
    } catch (err) {
      if (err instanceof GitFailure && err.status === 1) return undefined;
      throw fetchError(this.url, err, this.git.authenticated);
    }
  }

  /** The FerryError for a failed git command in this mirror. */
  failure(err: unknown): FerryError {
    return err instanceof FerryError ? err : fetchError(this.url, err, this.git.authenticated);
  }

  /** Runs git in this mirror (reading objects). */
  read(args: readonly string[], env?: Record<string, string>): Promise<string> {
    return this.git.run([`--git-dir=${this.dir}`, ...args], env ? { env } : {});
  }
}
