import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { importFiles } from '../index.ts';
import { untrueLines } from '../truth.ts';
import { bindAll } from './bundle.ts';
import { parseProcfile } from './procfile.ts';

const DJANGO = fileURLToPath(new URL('../../../test/fixtures/beanstalk-django', import.meta.url));

test('Procfile: processes with continued lines, each at its line', () => {
  const doc = parseProcfile(
    'Procfile',
    'web: gunicorn a \\\n  --bind :8000 app:application\n# no\nworker: celery -A x worker\n',
  );
  assert.deepEqual(doc.value, {
    web: 'gunicorn a --bind :8000 app:application',
    worker: 'celery -A x worker',
  });
  assert.equal(doc.locate(['worker'])?.line, 4);
  assert.deepEqual(bindAll('gunicorn --bind 127.0.0.1:8000 x').command, 'gunicorn --bind 0.0.0.0:8000 x');
});

test('a Django app on Beanstalk (a folder): web and worker services, scaling, health, size, migrations, crons', async () => {
  const r = await importFiles([DJANGO]);
  assert.equal(r.format, 'beanstalk');
  assert.deepEqual(untrueLines(r), []);
  const [app, worker] = r.services.map((s) => s.manifest);
  assert.equal(app?.command, 'gunicorn --bind 0.0.0.0:8000 --workers 3 --threads 20 tutors.wsgi:application');
  assert.equal(app?.port, 8000);
  assert.deepEqual(
    app?.autoscale,
    { min: 3, max: 8 },
    'the saved configuration’s MinSize wins over .ebextensions',
  );
  assert.deepEqual(app?.health, { path: '/healthz' });
  assert.deepEqual(app?.resources, { cpu: 2, memory: '3072Mi' });
  assert.deepEqual(app?.migrations, { command: 'python manage.py migrate --noinput' });
  assert.equal(app?.env?.SENTRY_ENVIRONMENT, 'prod', 'env.yaml wins');
  assert.equal(app?.secrets?.DJANGO_SECRET_KEY, 'secret:app-env#DJANGO_SECRET_KEY');
  assert.deepEqual(
    app?.crons?.map((c) => [c.name, c.schedule]),
    [
      ['refresh-rankings', '*/15 * * * *'],
      ['nightly-report', '0 2 * * *'],
    ],
  );
  assert.match(String(app?.crons?.[0]?.command), /http:\/\/app:8000\/tasks\/refresh-rankings$/);
  assert.deepEqual(worker, {
    service: 'worker',
    image: 'app',
    command: 'celery -A tutors worker --loglevel INFO',
    env: app?.env,
    secrets: app?.secrets,
  });
  const at = (p: string) => r.report.find((e) => e.path === p && e.outcome !== 'dropped');
  assert.equal(at('container_commands["01_migrate"]')?.to, 'migrations.command');
  assert.equal(r.report.find((e) => e.path === 'container_commands["02_collectstatic"]')?.outcome, 'dropped');
  assert.match(r.report.find((e) => e.path === 'web')?.note ?? '', /0\.0\.0\.0/);
});

test('a Node app: NodeCommand, its port, a single instance', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-eb-node-'));
  await mkdir(join(dir, '.ebextensions'));
  await writeFile(
    join(dir, '.ebextensions', 'node.config'),
    'option_settings:\n  aws:elasticbeanstalk:container:nodejs:\n    NodeCommand: npm run start:prod\n  aws:autoscaling:asg:\n    MinSize: 1\n    MaxSize: 1\n',
  );
  const r = await importFiles([dir]);
  const m = r.services[0]!.manifest;
  assert.deepEqual([m.command, m.port, m.instances, m.autoscale], ['npm run start:prod', 8080, 1, undefined]);
  assert.deepEqual(untrueLines(r), []);
});
