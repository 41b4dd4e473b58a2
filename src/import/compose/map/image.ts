// image / build → image (the tag goes to the report: ferry takes it at deploy time).
import { infraNote, wellKnown } from '../../infra.ts';
import { splitImage } from '../../names.ts';
import type { FieldMapper } from '../context.ts';

export const mapImage: FieldMapper = (ctx, m) => {
  const { svc, report, name, at } = ctx;
  if (typeof svc.image === 'string' && svc.image !== '') {
    const { repository, tag } = splitImage(svc.image);
    m.image = repository;
    if (tag === undefined) report.mapped(name, at('image'), 'image');
    else
      report.approximated(
        name,
        at('image'),
        'image',
        `tag "${tag}" comes at deploy time: ferry deploy ${name}:${tag}`,
      );
    const infra = wellKnown(svc.image);
    if (infra) report.note(at('image'), infraNote(infra));
  }
  if (svc.build !== undefined) {
    if (typeof svc.image === 'string')
      report.dropped(name, at('build'), 'ferry deploys built images; build and push in CI');
    else
      report.approximated(
        name,
        at('build'),
        'image',
        `no image: build in CI and push it as "${name}" (or set image in ferry.yaml)`,
      );
  }
};

/** The tag the source ran, when its image names one. */
export function imageVersion(svc: Record<string, unknown>): string | undefined {
  return typeof svc.image === 'string' && svc.image !== '' ? splitImage(svc.image).tag : undefined;
}
