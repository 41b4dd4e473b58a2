// `ferry history`: the releases of one service in one environment, newest first, with steps.
import type { ReleaseWithSteps } from '../store/store.ts';
import type { EngineDeps } from './context.ts';

export interface HistoryOptions {
  service: string;
  environment: string;
  limit: number;
}

export interface HistoryEntry {
  id: number;
  kind: string;
  version: string;
  outcome: string;
  message: string;
  actor: string;
  startedAt: string;
  durationMs: number | undefined;
  sourceRelease: number | undefined;
  manifestDigest: string;
  steps: { name: string; outcome: string; ms: number | undefined; message: string }[];
}

export function toEntry(r: ReleaseWithSteps): HistoryEntry {
  return {
    id: r.id,
    kind: r.kind,
    version: r.version,
    outcome: r.outcome,
    message: r.message,
    actor: r.actor,
    startedAt: new Date(r.startedAt).toISOString(),
    durationMs: r.endedAt === undefined ? undefined : r.endedAt - r.startedAt,
    sourceRelease: r.sourceRelease,
    manifestDigest: r.manifestDigest,
    steps: r.steps.map((s) => ({
      name: s.name,
      outcome: s.outcome,
      ms: s.endedAt === undefined ? undefined : s.endedAt - s.startedAt,
      message: s.message,
    })),
  };
}

export class History {
  private readonly deps: Pick<EngineDeps, 'store'>;
  readonly options: HistoryOptions;
  constructor(deps: Pick<EngineDeps, 'store'>, options: HistoryOptions) {
    this.deps = deps;
    this.options = options;
  }

  async run(): Promise<HistoryEntry[]> {
    const rs = await this.deps.store.history(
      this.options.service,
      this.options.environment,
      this.options.limit,
    );
    return rs.map(toEntry);
  }
}
