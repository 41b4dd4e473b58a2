// Feature and secret variables on the marathon target: the app gets them as Marathon secrets (as
// its own secret variables); Chronos jobs take plain values only, so a warning names each job
// and the variables it lacks — never silent.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadApp } from '../../manifest/load.ts';
import { listWorkloads } from '../../model/resolve.ts';
import { marathonWarnings, renderChronosJob, renderMarathonApp } from './index.ts';

const examples = fileURLToPath(new URL('../../../examples', import.meta.url));

test('marathon: features’ variables are set on the app like its secret variables', async () => {
  const workloads = listWorkloads(await loadApp(join(examples, 'anna')), 'prod', '1.0.0');
  const account = renderMarathonApp(workloads.find((w) => w.service === 'account')!);
  assert.deepEqual((account.env as Record<string, unknown>).DATABASE_URL, { secret: 'database-url' });
  assert.deepEqual((account.secrets as Record<string, unknown>)['database-url'], {
    source: 'account-postgres/url',
  });
  assert.deepEqual((account.env as Record<string, unknown>).PARTNER_API_TOKEN, {
    secret: 'partner-api-token',
  });
  const hcn = renderMarathonApp(workloads.find((w) => w.service === 'hcn')!);
  assert.deepEqual((hcn.secrets as Record<string, unknown>)['ferry-rabbitmq-url'], {
    source: 'ferry-rabbitmq/url',
  });
  assert.deepEqual((hcn.secrets as Record<string, unknown>)['mongo-url'], { source: 'hcn-mongo/url' });
  // $(FERRY_RABBITMQ_URL)/hcn is Kubernetes' expansion: not written as a literal, warned about
  assert.equal((hcn.env as Record<string, unknown>).AMQP_URL, undefined);
  assert.ok(
    marathonWarnings(workloads).some((w) => /^hcn: AMQP_URL is built with \$\(VAR\) expansion/.test(w)),
  );
});

test('chronos: a job without its secret and feature variables is a warning naming them', async () => {
  const workloads = listWorkloads(await loadApp(join(examples, 'anna')), 'prod', '1.0.0');
  const account = workloads.find((w) => w.service === 'account')!;
  const job = renderChronosJob(account, account.crons[0]!);
  const names = (job.environmentVariables as { name: string }[]).map((e) => e.name);
  assert.ok(names.includes('LOGSTASH_TAG'));
  assert.ok(!names.includes('DATABASE_URL'), 'no secret value in a Chronos job');
  const warnings = marathonWarnings(workloads);
  for (const c of account.crons)
    assert.ok(
      warnings.some(
        (w) =>
          w.startsWith(`account: Chronos job account-${c.name} `) &&
          /DATABASE_URL, PARTNER_API_TOKEN/.test(w),
      ),
      warnings.join('\n'),
    );
});
