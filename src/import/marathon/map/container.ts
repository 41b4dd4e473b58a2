// container.docker.image → image (the tag goes to the report), container.type and the docker
// options (forcePullImage, network, privileged, parameters).
import { splitImage } from '../../names.ts';
import type { AppMapper } from '../context.ts';

/** The tag the app ran, when its image names one. */
export function appVersion(docker: Record<string, unknown> | undefined): string | undefined {
  return typeof docker?.image === 'string' ? splitImage(docker.image).tag : undefined;
}

export const mapContainer: AppMapper = (ctx, m) => {
  const { report, name, at, container, docker } = ctx;
  const image = typeof docker?.image === 'string' ? docker.image : undefined;
  if (image !== undefined) {
    const { repository, tag } = splitImage(image);
    m.image = repository;
    if (tag === undefined) report.mapped(name, at('container', 'docker', 'image'), 'image');
    else
      report.approximated(
        name,
        at('container', 'docker', 'image'),
        'image',
        `tag "${tag}" comes at deploy time: ferry deploy ${name}:${tag}`,
      );
  } else {
    report.approximated(
      name,
      container ? at('container') : at('id'),
      'image',
      `no container image: the command ran on the Mesos agent; build an image that holds it and push it as "${name}"`,
    );
  }
  if (!container) return;
  if (container.type !== undefined)
    report.mapped(name, at('container', 'type'), 'image', 'ferry runs OCI images');
  if (!docker) return;
  for (const k of Object.keys(docker)) {
    const key = at('container', 'docker', k);
    if (k === 'forcePullImage')
      report.approximated(name, key, 'image', 'ferry pins the tag at deploy time, so a pull is never stale');
    else if (k === 'network')
      report.approximated(
        name,
        key,
        'ports',
        `"${String(docker[k])}": every pod has its own IP; container ports are reachable directly`,
      );
    else if (k === 'privileged') report.dropped(name, key, 'ferry does not run privileged containers');
    else if (k === 'parameters')
      report.dropped(name, key, 'docker run parameters have no Kubernetes equivalent');
  }
};
