// `files` on Swarm: a Secret file is a Swarm secret mounted at its path (`target`, `mode`), named
// like the Kubernetes Secret (external: created with `docker secret create`); a content file is a
// Swarm config mounted the same way. `docker stack deploy` reads no inline config content, so the
// config is external too and a warning says how to create it.
import type { Workload } from '../../model/types.ts';

type Obj = Record<string, unknown>;

/** The Swarm config holding a content file: <service>-<file name>. */
export function swarmConfigName(w: Workload, path: string): string {
  return `${w.service}-${path
    .split('/')
    .pop()!
    .replace(/[^-_.a-zA-Z0-9]/g, '_')}`;
}

export function swarmFiles(w: Workload): {
  secrets: Obj[];
  configs: Obj[];
  topSecrets: Record<string, Obj>;
  topConfigs: Record<string, Obj>;
} {
  const out = {
    secrets: [] as Obj[],
    configs: [] as Obj[],
    topSecrets: {} as Record<string, Obj>,
    topConfigs: {} as Record<string, Obj>,
  };
  for (const f of w.files) {
    if (f.source.kind === 'secret') {
      out.topSecrets[f.source.key] = { external: true, name: f.source.name };
      out.secrets.push({ source: f.source.key, target: f.path, mode: f.mode });
    } else if (f.source.kind === 'configMap') {
      out.topConfigs[f.source.key] = { external: true, name: f.source.name };
      out.configs.push({ source: f.source.key, target: f.path, mode: f.mode });
    } else {
      const name = swarmConfigName(w, f.path);
      out.topConfigs[name] = { external: true, name };
      out.configs.push({ source: name, target: f.path, mode: f.mode });
    }
  }
  return out;
}

export function swarmFileWarnings(w: Workload): string[] {
  return w.files.flatMap((f) =>
    f.source.kind === 'content'
      ? [
          `${w.service}: ${f.path} is the external config ${swarmConfigName(w, f.path)} (docker stack deploy reads no inline content): create it from the file's content with docker config create`,
        ]
      : [],
  );
}
