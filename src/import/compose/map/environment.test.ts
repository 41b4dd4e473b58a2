import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMappers } from '../testing.ts';
import { parseEnvFile } from './env-file.ts';
import { mapEnvironment } from './environment.ts';

test('env files: comments, export, quotes', () => {
  assert.deepEqual(parseEnvFile('# c\nexport A=1\nB="two"\nC=\'3\'\nnot a line\n'), {
    A: '1',
    B: 'two',
    C: '3',
  });
});

test('environment: values kept with their type, a variable without a value comes from the import variables', () => {
  const r = runMappers(
    [mapEnvironment],
    {
      environment: { PORT: 4000, DEBUG: false, FROM_SHELL: null, UNSET: null, 'bad name': 'x' },
      env_file: ['a.env'],
    },
    { vars: { FROM_SHELL: 'yes' }, envFiles: new Map([['a.env', { A: '1' }]]) },
  );
  assert.deepEqual(r.m.env, { A: '1', DEBUG: false, FROM_SHELL: 'yes', PORT: 4000 });
  assert.equal(r.at('environment.PORT')?.outcome, 'mapped');
  assert.equal(r.at('environment.FROM_SHELL')?.outcome, 'approximated');
  assert.equal(r.at('environment.UNSET')?.outcome, 'dropped');
  assert.equal(r.at('env_file[0]')?.outcome, 'approximated');
  assert.ok(r.entries.some((e) => e.outcome === 'dropped' && /not a valid/.test(e.note ?? '')));
});

test('an env file that cannot be read is dropped with the reason', () => {
  const r = runMappers(
    [mapEnvironment],
    { env_file: 'gone.env' },
    { envFiles: new Map([['gone.env', new Error('ENOENT')]]) },
  );
  assert.equal(r.m.env, undefined);
  assert.match(r.at('env_file')?.note ?? '', /cannot read env file gone\.env: ENOENT/);
});
