// The logs of a release's pods, so nobody needs kubectl to see why a deploy failed: every pod of
// (service, environment) at the release's version — web, cron, migration and check pods —,
// each container's lines prefixed with pod/container, optionally followed as they come.
import type { KObject } from '../../cluster/types.ts';
import type { LoadedApp } from '../../manifest/load.ts';
import { LABEL_COMPONENT, LABEL_VERSION_FERRY, pruneSelector } from '../../render/kubernetes/labels.ts';
import { labelValue } from '../../render/kubernetes/names.ts';
import { usageError } from '../../errors.ts';
import { selectorString } from '../apply.ts';
import type { Engine } from '../config.ts';
import { environmentOf, serviceOf } from './environments.ts';

export interface LogsRequest {
  service: string;
  environment: string;
  /** the release whose pods to read; default the newest release */
  release?: number;
  /** only pods of this component: web, cron, migration, check */
  component?: string;
  follow?: boolean;
  sinceSeconds?: number;
  tailLines?: number;
  signal?: AbortSignal;
}

export interface LogLine {
  pod: string;
  container: string;
  line: string;
}

export interface LogsTarget {
  version: string;
  releaseId: number | undefined;
  pods: string[];
}

function containers(pod: KObject): string[] {
  const spec = pod.spec as
    { initContainers?: { name: string }[]; containers?: { name: string }[] } | undefined;
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].map((c) => c.name);
}

export class Logs {
  private readonly engine: Engine;
  private readonly app: LoadedApp;

  constructor(engine: Engine, app: LoadedApp) {
    this.engine = engine;
    this.app = app;
  }

  /** Streams the lines to `onLine`; returns which release and pods were read. */
  async run(o: LogsRequest, onLine: (l: LogLine) => void): Promise<LogsTarget> {
    const env = environmentOf(this.app, o.environment);
    serviceOf(this.app, o.service);
    const store = await this.engine.store();
    const release =
      o.release !== undefined
        ? await store.release({ service: o.service, environment: o.environment, id: o.release })
        : await store.latest(o.service, o.environment);
    const cluster = await this.engine.clusterFor(env.context);
    const labels: Record<string, string> = { ...pruneSelector(o.service, o.environment) };
    if (release) labels[LABEL_VERSION_FERRY] = labelValue(release.version);
    if (o.component) labels[LABEL_COMPONENT] = o.component;
    const pods = (await cluster.list('v1', 'Pod', env.namespace, selectorString(labels))).sort((a, b) =>
      a.metadata.name.localeCompare(b.metadata.name),
    );
    if (!release && pods.length === 0)
      throw usageError('E_NOT_FOUND', `${o.service} has no release and no pods in ${o.environment}`);
    await Promise.all(
      pods.flatMap((p) =>
        containers(p).map(async (container) => {
          let rest = '';
          const emit = (text: string) => {
            const lines = (rest + text).split('\n');
            rest = lines.pop() ?? '';
            for (const line of lines) onLine({ pod: p.metadata.name, container, line });
          };
          try {
            await cluster.streamLogs(
              env.namespace,
              p.metadata.name,
              {
                container,
                ...(o.follow ? { follow: true } : {}),
                ...(o.sinceSeconds !== undefined ? { sinceSeconds: o.sinceSeconds } : {}),
                ...(o.tailLines !== undefined ? { tailLines: o.tailLines } : {}),
                ...(o.signal ? { signal: o.signal } : {}),
              },
              emit,
            );
          } catch (e) {
            // a container that never started has no log: say so in its place
            onLine({
              pod: p.metadata.name,
              container,
              line: `(no log: ${e instanceof Error ? e.message : String(e)})`,
            });
          }
          if (rest) onLine({ pod: p.metadata.name, container, line: rest });
        }),
      ),
    );
    return {
      version: release?.version ?? '-',
      releaseId: release?.id,
      pods: pods.map((p) => p.metadata.name),
    };
  }
}
