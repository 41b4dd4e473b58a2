import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMappers } from '../testing.ts';
import { mapConfigs } from './configs.ts';

test('configs: a file of the project is written in as content; external or missing ones read a ConfigMap', () => {
  const r = runMappers(
    [mapConfigs],
    {
      configs: [
        { source: 'nginx', target: '/etc/nginx/conf.d/default.conf', mode: 444 },
        'inline',
        { source: 'shared', target: 'shared.json' },
        { source: 'gone', target: '/gone.conf' },
      ],
    },
    {
      project: {
        configs: {
          nginx: { file: './nginx.conf' },
          inline: { content: 'a=1\n' },
          shared: { external: true, name: 'team-shared' },
          gone: { file: './missing.conf' },
        },
      },
      projectFiles: new Map([
        ['./nginx.conf', { kind: 'file', bytes: 9, text: 'server{}\n' }],
        ['./missing.conf', { kind: 'missing' }],
      ]),
    },
  );
  assert.deepEqual(r.m.files, [
    { path: '/etc/nginx/conf.d/default.conf', content: 'server{}\n', mode: '0444' },
    { path: '/inline', content: 'a=1\n' },
    { path: '/shared.json', configMap: 'team-shared', key: 'shared' },
    { path: '/gone.conf', configMap: 'gone', key: 'missing.conf' },
  ]);
  assert.equal(r.at('configs[1]')?.outcome, 'mapped');
  assert.match(r.at('configs[0].source')?.note ?? '', /written into ferry\.yaml/);
  assert.match(
    r.at('configs[3].source')?.note ?? '',
    /not found.*kubectl create configmap gone --from-file=missing\.conf=\.\/missing\.conf/,
  );
});
