// What every route and worker of one server replica shares.
import type { Engine } from '../engine/config.ts';
import type { Logger } from '../engine/log.ts';
import type { ServerStoreDriver } from '../store/server-types.ts';
import type { Store } from '../store/store.ts';
import type { EventHub } from './events.ts';
import type { GitHubClient, GitHubSettings } from './github/client.ts';
import type { LatestReleases } from './latest-releases.ts';
import type { Metrics } from './metrics.ts';
import type { StatusCache } from './status-cache.ts';

/** Where the server reads the project: a folder, or a git repository at a commit. */
import type { PodLabel } from '../engine/pod-labels.ts';
import type { ProjectSource } from './project/source.ts';
export type { ProjectSource };

export interface ServerSettings {
  host: string;
  port: number;
  /** requests run at once by this replica */
  workers: number;
  /** on SIGTERM, how long running requests may take to finish before they are cancelled */
  graceMs: number;
  /** a claim's life without renewal: a dead replica's request is taken over after it */
  claimTtlMs: number;
  /** how long a request waits for a deploy lock someone else holds (a CLI deploy) */
  waitLockMs: number;
  /** the largest request body the API takes, in bytes */
  bodyLimit: number;
  statusRefreshMs: number;
  eventPollMs: number;
  /** an SSE comment this often keeps proxies from closing a quiet stream */
  heartbeatMs: number;
  /** GitHub: the webhook secret, the API and its token (github/client.ts: githubSettings) */
  github?: GitHubSettings;
  /** how often previews past their TTL are removed; 0: never */
  previewSweepMs?: number;
  /** how often open pull requests are listed to catch missed webhooks (never deletes); 0: never */
  previewResyncMs?: number;
  /** extra labels on the pod templates of every deploy (FERRY_POD_LABELS, as the CLI reads it) */
  podLabels: readonly PodLabel[];
  /** where the dashboard's built files are (default: dist/web of the checkout) */
  webDir?: string;
}

export const DEFAULT_SETTINGS: Omit<ServerSettings, 'host' | 'port'> = {
  workers: 4,
  graceMs: 300_000,
  claimTtlMs: 15_000,
  waitLockMs: 600_000,
  bodyLimit: 1_048_576,
  statusRefreshMs: 10_000,
  eventPollMs: 200,
  heartbeatMs: 15_000,
  previewSweepMs: 60_000,
  previewResyncMs: 600_000,
  podLabels: [],
};

export interface ServerContext {
  engine: Engine;
  store: Store;
  records: ServerStoreDriver;
  project: ProjectSource;
  settings: ServerSettings;
  events: EventHub;
  status: StatusCache;
  /** the newest release of every pair, read once for every page of the matrix */
  latest: LatestReleases;
  metrics: Metrics;
  /** the GitHub API, when a token is configured: statuses, deployments, the PR comment */
  github: GitHubClient | undefined;
  log: Logger;
  now(): number;
  /** a request was queued: idle workers look now */
  wake(): void;
  /** true once SIGTERM arrived: /readyz fails, new requests are refused */
  shuttingDown(): boolean;
}
