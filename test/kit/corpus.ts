// The conformance corpus (../shared/corpus, read in place): kompose's fixtures with their expected
// output, and the other real files ferry must import. Shared by the import tests.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRecord } from '../../src/import/source.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** FERRY_CORPUS, or shared/corpus beside the checkout or beside a folder above it (a worktree). */
function findCorpus(): string {
  if (process.env.FERRY_CORPUS) return resolve(process.env.FERRY_CORPUS);
  for (let dir = resolve(ROOT, '..'); ; dir = dirname(dir)) {
    const c = join(dir, 'shared/corpus');
    if (existsSync(c) || dirname(dir) === dir) return existsSync(c) ? c : resolve(ROOT, '../shared/corpus');
  }
}
export const CORPUS = findCorpus();
export const KOMPOSE = join(CORPUS, 'kubernetes__kompose/script/test/fixtures');

/** What the compared projection fields are (see import-corpus.test.ts). */
export type ProjectionField =
  'kind' | 'claims' | 'image' | 'replicas' | 'ports' | 'env' | 'liveness' | 'limits' | 'mounts' | 'schedule';

export interface Fixture {
  dir: string;
  inputs: string[];
  expected: string;
  /** fields not compared, each with the difference id that explains why */
  skip?: Partial<Record<ProjectionField, string>>;
}

export const FIXTURES: Fixture[] = [
  { dir: 'v3.0', inputs: ['compose.yaml'], expected: 'output-k8s.yaml' },
  { dir: 'healthcheck', inputs: ['compose-healthcheck.yaml'], expected: 'output-healthcheck-k8s.yaml' },
  { dir: 'env', inputs: ['compose.yaml'], expected: 'output-k8s.yaml' },
  { dir: 'multiple-files', inputs: ['first.yaml', 'second.yaml'], expected: 'output-k8s.yaml' },
  { dir: 'statefulset', inputs: ['compose.yaml'], expected: 'output-k8s.yaml' },
  { dir: 'change-in-volume', inputs: ['compose.yaml'], expected: 'output-k8s.yaml' },
  { dir: 'cronjob', inputs: ['compose.yaml'], expected: 'output-k8s.yaml' },
  { dir: 'expose', inputs: ['compose.yaml'], expected: 'output-k8s.yaml' },
  { dir: 'namespace', inputs: ['compose.yaml'], expected: 'output-k8s.yaml' },
  { dir: 'read-only', inputs: ['compose.yaml'], expected: 'output-k8s.yaml' },
  { dir: 'envvars-interpolation', inputs: ['compose.yaml'], expected: 'output-k8s.yaml' },
  { dir: 'deploy/labels', inputs: ['compose.yaml'], expected: 'output-k8s.yaml' },
  { dir: 'deploy/placement', inputs: ['compose-placement.yaml'], expected: 'output-placement-k8s.yaml' },
  {
    dir: 'controller',
    inputs: ['compose-global.yaml'],
    expected: 'output-k8s-global-template.json',
  },
  { dir: 'secrets', inputs: ['docker-compose-secrets-long.yml'], expected: 'output-long-k8s.json' },
  { dir: 'compose-v3.3-test', inputs: ['compose-config-long.yaml'], expected: 'output-k8s-config-long.json' },
];

/** Markdown files hold JSON samples in fenced blocks: each becomes its own input file. */
async function jsonBlocks(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  const dir = await mkdtemp(join(tmpdir(), 'ferry-corpus-'));
  const blocks = [...text.matchAll(/```(?:json)?\n(\{[\s\S]*?\})\n```/g)].map((m) => m[1] ?? '');
  const out: string[] = [];
  for (const [i, b] of blocks.entries()) {
    try {
      const v: unknown = JSON.parse(b);
      if (!isRecord(v) || !(('name' in v && 'command' in v) || 'AWSEBDockerrunVersion' in v)) continue;
    } catch {
      continue;
    }
    const f = join(dir, `block-${i}.json`);
    await writeFile(f, b);
    out.push(f);
  }
  return out;
}

/** `together`: the files are one import (else each file is imported on its own). */
export const OTHER: { name: string; files: () => Promise<string[]>; format: string; together?: boolean }[] = [
  {
    name: 'compose-go full-example.yml',
    files: async () => [join(CORPUS, 'compose-spec__compose-go/loader/full-example.yml')],
    format: 'compose',
  },
  {
    name: 'compose-go web-stack.yaml',
    files: async () => [join(CORPUS, 'compose-spec__compose-go/loader/testdata/golden/web-stack.yaml')],
    format: 'compose',
  },
  {
    name: 'compose-go web-stack.golden.yaml',
    files: async () => [
      join(CORPUS, 'compose-spec__compose-go/loader/testdata/golden/web-stack.golden.yaml'),
    ],
    format: 'compose',
  },
  {
    name: 'awesome-compose react-java-mysql',
    files: async () => [join(CORPUS, 'docker__awesome-compose/react-java-mysql/compose.yaml')],
    format: 'compose',
  },
  {
    name: 'awesome-compose nginx-golang-postgres',
    files: async () => [join(CORPUS, 'docker__awesome-compose/nginx-golang-postgres/compose.yaml')],
    format: 'compose',
  },
  {
    name: 'kompose controller/compose.yaml',
    files: async () => [join(KOMPOSE, 'controller/compose.yaml')],
    format: 'compose',
  },
  ...['Docker.json', 'bridge.json', 'labels.json', 'Group.json'].map((f) => ({
    name: `marathon ${f}`,
    files: async () => [join(CORPUS, 'mesosphere__marathon/examples', f)],
    format: 'marathon',
  })),
  ...['1-nginx.json', 'zdd_app_blue.json', 'bluegreen_app_blue.json'].map((f) => ({
    name: `marathon-lb ${f}`,
    files: async () => [join(CORPUS, 'mesosphere__marathon-lb/tests', f)],
    format: 'marathon',
  })),
  {
    name: 'chronos sample.json',
    files: async () => [join(CORPUS, 'mesos__chronos/sample.json')],
    format: 'chronos',
  },
  {
    name: 'chronos api.md samples',
    files: () => jsonBlocks(join(CORPUS, 'mesos__chronos/docs/docs/api.md')),
    format: 'chronos',
  },
  ...[
    'Djaizz__Djaizz/src/djai/util/cli/aws_eb/.ebextensions/Django.config',
    'digitalbiblesociety__dbp-reader',
    'parse-community__parse-server-example',
    'pogorelov-ss__django-elastic-beanstalk-docker-stack',
    'awsdocs__elastic-beanstalk-samples/configuration-files/aws-provided/environment-configuration/workertier-scaleonqueuesize.config',
    'awsdocs__elastic-beanstalk-samples/configuration-files/aws-provided/instance-configuration/cron-leaderonly-linux.config',
  ].map((p) => ({
    name: `beanstalk ${p.split('/').pop()}`,
    files: async () => [join(CORPUS, p)],
    format: 'beanstalk',
  })),
  {
    name: 'beanstalk Django config with its Procfile',
    files: async () => [
      join(CORPUS, 'Djaizz__Djaizz/src/djai/util/cli/aws_eb/.ebextensions/Django.config'),
      join(CORPUS, 'Djaizz__Djaizz/src/djai/util/cli/_server_files/Procfile.Uvicorn'),
    ],
    format: 'beanstalk',
    together: true,
  },
  {
    name: 'beanstalk Dockerrun v2 sample',
    files: () =>
      jsonBlocks(
        join(
          CORPUS,
          'awsdocs__aws-elastic-beanstalk-developer-guide/doc_source/create_deploy_docker_v2config.md',
        ),
      ),
    format: 'beanstalk',
  },
];

/** Every import the corpus holds: each kompose fixture's inputs (together), each other file. */
export async function corpusImports(): Promise<{ name: string; files: () => Promise<string[][]> }[]> {
  return [
    ...FIXTURES.map((fx) => ({
      name: `kompose ${fx.dir}`,
      files: async () => [fx.inputs.map((i) => join(KOMPOSE, fx.dir, i))],
    })),
    ...OTHER.map((o) => ({
      name: o.name,
      files: async () => (o.together ? [await o.files()] : (await o.files()).map((f) => [f])),
    })),
    // ferry's own fixtures of issue 12's cases
    ...['swarm-shop/docker-stack.yml', 'beanstalk-django'].map((f) => ({
      name: `fixture ${f}`,
      files: async () => [[join(ROOT, 'test/fixtures', f)]],
    })),
  ];
}
