import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { testEnvironment, testWorkload } from '../kubernetes/fixture.ts';
import { renderHelmChart, VERSION_SENTINEL } from './chart.ts';

test('values.<env>.yaml holds only what differs; the version comes from image.tag', () => {
  const base = testWorkload({ version: VERSION_SENTINEL, image: `example/hcn:${VERSION_SENTINEL}` });
  const test1 = {
    ...base,
    environment: { ...testEnvironment, name: 'test', namespace: 'test' },
    instances: 1,
  };
  const prod = {
    ...base,
    environment: { ...testEnvironment, name: 'prod', namespace: 'prod' },
    instances: 4,
  };
  const files = new Map(
    renderHelmChart(
      new Map([
        ['test', test1],
        ['prod', prod],
      ]),
      '1.0.0',
    ).map((f) => [f.path, f.content]),
  );
  assert.deepEqual(parse(files.get('Chart.yaml')!).appVersion, '1.0.0');
  assert.equal(parse(files.get('values.yaml')!).image.tag, '1.0.0');
  const vp = parse(files.get('values.prod.yaml')!);
  assert.equal(vp.namespace, 'prod');
  assert.equal(vp.environment, 'prod');
  assert.equal(vp.objects['Deployment/hcn'].spec.replicas, 4);
  const dep = files.get('templates/deployment-hcn.yaml')!;
  assert.match(dep, /\.Values\.image\.tag/);
  assert.doesNotMatch(dep, new RegExp(VERSION_SENTINEL));
  assert.ok(!JSON.stringify(vp).includes(VERSION_SENTINEL));
  // the PodDisruptionBudget exists only where 2+ instances run: a conditional template
  const pdb = [...files.keys()].find((p) => p.startsWith('templates/poddisruptionbudget'));
  assert.ok(pdb);
  assert.match(files.get(pdb)!, /^# .*\n\{\{- if \(index \.Values "enabled"/);
  assert.equal(parse(files.get('values.test.yaml')!).enabled['PodDisruptionBudget/hcn'], false);
});
