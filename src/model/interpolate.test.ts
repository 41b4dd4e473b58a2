import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FerryError } from '../errors.ts';
import { interpolate, variablesIn } from './interpolate.ts';

const vars = {
  service: 'hcn',
  env: 'prod',
  version: '1.0.0',
  namespace: 'anna-prod',
  domain: 'anna.example.com',
};

test('replaces the known variables', () => {
  assert.equal(interpolate('${service}-${env}', vars), 'hcn-prod');
  assert.equal(
    interpolate('https://${service}.${domain}/v${version} in ${namespace}', vars),
    'https://hcn.anna.example.com/v1.0.0 in anna-prod',
  );
  assert.equal(interpolate('no variables, $HOME stays', vars), 'no variables, $HOME stays');
});

test('$${ writes a literal ${', () => {
  assert.equal(interpolate('$${service} is ${service}', vars), '${service} is hcn');
  assert.deepEqual(variablesIn('$${a} ${b}'), ['b']);
});

test('unknown variables are errors with did-you-mean', () => {
  assert.throws(
    () => interpolate('${servce}', vars),
    (e: unknown) =>
      e instanceof FerryError && e.code === 'E_INTERPOLATE' && /did you mean "service"/.test(e.hint ?? ''),
  );
  assert.throws(() => interpolate('${HOME}', vars), FerryError);
  assert.throws(() => interpolate('unclosed ${service', vars), FerryError);
});

test('${domain} without a domain says so', () => {
  assert.throws(
    () => interpolate('${domain}', { service: 'a' }),
    (e: unknown) => e instanceof FerryError && /domain/.test(e.hint ?? ''),
  );
});
