// Which old platform wrote these files? Looks at the first document of each file; every file of one
// import must be of the same format. None matches → an error naming the formats tried (exit 2).
import { InvalidInputError, type Issue } from '../errors.ts';
import { didYouMean } from '../manifest/suggest.ts';
import { isRecord, readSourceFile } from './source.ts';
import { findApps } from './marathon/index.ts';
import { findJobs } from './chronos/index.ts';
import { beanstalkKind } from './beanstalk/index.ts';
import { isProcfile } from './beanstalk/procfile.ts';
import { FORMATS, type Format } from './types.ts';

/** The format of one parsed document, or undefined. Order matters: the most specific first. */
export function detectValue(
  value: unknown,
  extraDocs: readonly unknown[] = [],
  file = '',
): Format | undefined {
  if (isRecord(value) && 'AWSEBDockerrunVersion' in value) return 'beanstalk';
  if (beanstalkKind(file, value) !== undefined) return 'beanstalk';
  const docs = [value, ...extraDocs];
  if (docs.some((d) => isRecord(d) && typeof d.apiVersion === 'string' && typeof d.kind === 'string'))
    return 'kubernetes';
  if (isRecord(value) && isRecord(value.services)) return 'compose';
  if (findJobs(value)) return 'chronos';
  if (findApps(value)) return 'marathon';
  return undefined;
}

/** The names --from accepts, formats and aliases. */
export const FORMAT_NAMES: readonly string[] = [
  ...FORMATS,
  'swarm',
  'stack',
  'docker-compose',
  'dockerrun',
  'eb',
  'elasticbeanstalk',
  'k8s',
];

/** The hint for an unknown --from: the closest name, or the formats. */
export function formatHint(name: string): string {
  const hint = didYouMean(name, FORMAT_NAMES, 'format');
  return hint.startsWith('did you mean')
    ? hint
    : 'use compose, swarm, marathon, chronos, beanstalk or kubernetes';
}

/** Aliases accepted by --from. */
export function parseFormat(name: string): Format | undefined {
  if (name === 'swarm' || name === 'stack' || name === 'docker-compose') return 'compose';
  if (name === 'dockerrun' || name === 'eb' || name === 'elasticbeanstalk') return 'beanstalk';
  if (name === 'k8s') return 'kubernetes';
  return (FORMATS as readonly string[]).includes(name) ? (name as Format) : undefined;
}

/** The format of each file (in order); exit 2 when one is of none. */
export async function detectFormats(files: readonly string[]): Promise<Map<string, Format>> {
  const found = new Map<string, Format>();
  const issues: Issue[] = [];
  for (const f of files) {
    if (isProcfile(f)) {
      found.set(f, 'beanstalk');
      continue;
    }
    // a missing file or a syntax error is reported as such (located), not as an unknown format
    const src = await readSourceFile(f);
    const [first, ...rest] = src.docs;
    const format = first
      ? detectValue(
          first.value,
          rest.map((d) => d.value),
          f,
        )
      : undefined;
    if (format === undefined)
      issues.push({
        path: '',
        message: `not a file ferry can import: tried ${FORMATS.join(', ')}`,
        loc: { file: f, line: 1, col: 1 },
        hint: 'compose/Swarm files have "services:", Marathon apps "id", Chronos jobs "name"+"schedule", Dockerrun.aws.json "AWSEBDockerrunVersion", .ebextensions configs "option_settings", Kubernetes objects "apiVersion"+"kind"; or pass --from',
      });
    else found.set(f, format);
  }
  if (issues.length > 0)
    throw new InvalidInputError(issues, `cannot tell the format (tried ${FORMATS.join(', ')})`);
  return found;
}

/** Formats that import together: Marathon apps with the Chronos jobs that run their images. */
export function importsTogether(formats: readonly Format[]): boolean {
  return formats.every((f) => f === 'marathon' || f === 'chronos');
}

/** The one format of `files`; exit 2 when they are of formats that do not import together. */
export async function detectFormat(files: readonly string[]): Promise<Format> {
  return oneFormat(await detectFormats(files));
}

/** The format files of these formats import as ('marathon' for apps with Chronos jobs). */
export function oneFormat(found: ReadonlyMap<string, Format>): Format {
  const formats = [...new Set(found.values())];
  if (formats.length > 1 && !importsTogether(formats))
    throw new InvalidInputError(
      [...found].map(([file, format]) => ({
        path: '',
        message: `looks like ${format}`,
        loc: { file, line: 1, col: 1 },
      })),
      `the files are of different formats (${formats.join(', ')}): import them separately (only Marathon apps and Chronos jobs import together)`,
    );
  return formats.length > 1 ? 'marathon' : formats[0]!;
}
