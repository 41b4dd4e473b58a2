// configs (files mounted into the container).
import type { FieldMapper } from '../context.ts';

export const mapConfigs: FieldMapper = (ctx) => {
  const { svc, report, name, at } = ctx;
  if (svc.configs !== undefined)
    report.dropped(
      name,
      at('configs'),
      'ferry does not mount config files: bake them into the image or pass values as env',
    );
};
