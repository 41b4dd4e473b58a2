import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FieldMapper } from '../context.ts';
import { runMappers } from '../testing.ts';
import { mapDropped } from './dropped.ts';

test('dropped fields carry their reason; depends_on names what it was; x- fields are extensions', () => {
  const r = runMappers([mapDropped], {
    depends_on: { db: { condition: 'service_healthy' } },
    user: '1000',
    'x-team': 'a',
  });
  assert.match(r.at('depends_on')?.note ?? '', /\(was: db\)/);
  assert.match(r.at('user')?.note ?? '', /USER/);
  assert.match(r.at('x-team')?.note ?? '', /extension/);
});

test('a field another mapper reported is not dropped again', () => {
  const user: FieldMapper = (ctx, m) => {
    m.args = ['as', String(ctx.svc.user)];
    ctx.report.mapped(ctx.name, ctx.at('user'), 'args');
  };
  const r = runMappers([user, mapDropped], { user: '1000' });
  assert.deepEqual(
    r.entries.filter((e) => e.path === 'services.web.user').map((e) => e.outcome),
    ['mapped'],
  );
});
