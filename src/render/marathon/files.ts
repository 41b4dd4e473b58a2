// `files` on Marathon: a Secret file is a file-based Marathon secret (a container volume with
// `secret`, the secret's source "<secret>/<key>", as for secret variables); content files have no
// Marathon equivalent (a warning: fetch them or bake them into the image).
import type { Workload } from '../../model/types.ts';

type Obj = Record<string, unknown>;

/** The secret id a file's secret is declared under in the app's `secrets`. */
function secretId(path: string): string {
  return `file-${path
    .replace(/^\//, '')
    .replace(/[^a-zA-Z0-9]+/g, '-')
    .toLowerCase()}`;
}

export function marathonFiles(w: Workload): { volumes: Obj[]; secrets: Obj } {
  const volumes: Obj[] = [];
  const secrets: Obj = {};
  for (const f of w.files) {
    if (f.source.kind !== 'secret') continue;
    const id = secretId(f.path);
    volumes.push({ containerPath: f.path, secret: id });
    secrets[id] = { source: `${f.source.name}/${f.source.key}` };
  }
  return { volumes, secrets };
}

export function marathonFileWarnings(w: Workload): string[] {
  const out: string[] = [];
  const content = w.files.filter((f) => f.source.kind !== 'secret').map((f) => f.path);
  if (content.length > 0)
    out.push(
      `${w.service}: ${content.join(', ')} (config files) not rendered: Marathon mounts no config files — fetch them (uris) or bake them into the image on the old platform`,
    );
  const secret = w.files.filter((f) => f.source.kind === 'secret').map((f) => f.path);
  if (secret.length > 0 && w.crons.length > 0)
    out.push(
      `${w.service}: Chronos jobs get no secret files: ${secret.join(', ')} missing in ${w.crons.map((c) => `${w.service}-${c.name}`).join(', ')}`,
    );
  return out;
}
