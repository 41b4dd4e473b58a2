import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse, parseAllDocuments } from 'yaml';
import { scalarString, yamlDocument } from './yaml.ts';

/** What a YAML 1.1 reader (kubectl, Helm) and a YAML 1.2 reader make of the text. */
function readBoth(text: string): [unknown, unknown] {
  return [parse(text, { version: '1.1' }) as unknown, parse(text, { version: '1.2' }) as unknown];
}

function roundTrips(value: unknown): void {
  const text = yamlDocument(value);
  const [v11, v12] = readBoth(text);
  assert.deepEqual(v11, value, `YAML 1.1 read of:\n${text}`);
  assert.deepEqual(v12, value, `YAML 1.2 read of:\n${text}`);
}

const tricky = [
  'yes',
  'No',
  'ON',
  'off',
  'y',
  'N',
  'true',
  'False',
  'null',
  'Null',
  '~',
  '',
  ' ',
  ' a',
  'a ',
  '1',
  '-1',
  '+1',
  '0.5',
  '.5',
  '1e5',
  '1E5',
  '1e+5',
  '0x1F',
  '0o17',
  '0b101',
  '017',
  '1_000',
  '12:30',
  '190:20:30',
  '1:20.5',
  '2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  '.inf',
  '-.Inf',
  '.NaN',
  'NaN',
  '1.0.0',
  '0.0.0-dev',
  '500m',
  '512Mi',
  '1.5Gi',
  '25%',
  '3d',
  '1b',
  '1B',
  '1p',
  '-',
  '- a',
  '-c',
  '--flag',
  'a: b',
  'a:b',
  'a:',
  'http://x.example.com/a?b=c#d',
  'a #b',
  'a#b',
  '#x',
  '&a',
  '*a',
  '!a',
  '|',
  '>',
  '%x',
  '@x',
  '`x',
  '"x"',
  "'x'",
  "it's",
  'a\nb',
  'a\tb',
  '\u0085',
  '\u2028',
  '\ufeff',
  '\u007f',
  '<<',
  '=',
  '?',
  '? a',
  '[a]',
  '{a: 1}',
  'a,b',
  '*/30 * * * *',
  '$(FERRY_RABBITMQ_URL)/%2F',
  '/bin/sh',
  'é',
  '日本',
  '😀',
  'x\\y',
  'C:\\path',
  '10.0.0.0/8,172.16.0.0/12',
];

test('every tricky string survives a YAML 1.1 and a YAML 1.2 reader, as a value and as a key', () => {
  for (const s of tricky) {
    roundTrips({ v: s });
    roundTrips({ [s]: 1 });
    roundTrips([s]);
  }
});

test('readable output: plain where safe, quoted where a reader would see another type', () => {
  assert.equal(scalarString('/bin/sh'), '/bin/sh');
  assert.equal(scalarString('500m'), '500m');
  assert.equal(scalarString('python /app/hcn/main.py'), 'python /app/hcn/main.py');
  assert.equal(scalarString('1'), "'1'");
  assert.equal(scalarString('1.0.0'), "'1.0.0'");
  assert.equal(scalarString('yes'), "'yes'");
  assert.equal(scalarString('a: b'), "'a: b'");
  assert.equal(scalarString("it's: x"), "'it''s: x'");
  assert.equal(scalarString('a\nb'), '"a\\nb"');
  assert.equal(
    yamlDocument({ b: [1, { d: 'x', c: [] }], a: { e: {} }, u: undefined, n: null, t: true }),
    "a:\n  e: {}\nb:\n  - 1\n  - c: []\n    d: x\n'n': null\nt: true\n",
  );
  assert.equal(yamlDocument([[1, 2], [3]]), '- - 1\n  - 2\n- - 3\n');
});

const alphabet = fc.constantFrom(
  ...'aeEoxbtyYnN0159.:-+_ #\'"/\\%@&*!|>?,[]{}=<~$()\n\t\u0085\u2028é😀'.split(''),
);
const trickyString = fc.oneof(
  fc.constantFrom(...tricky),
  fc.array(alphabet, { maxLength: 12 }).map((cs) => cs.join('')),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);
const number = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)),
);
const { json } = fc.letrec((tie) => ({
  json: fc.oneof(
    { depthSize: 'small' },
    trickyString,
    number,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('json'), { maxLength: 4 }),
    fc.dictionary(trickyString, tie('json'), { maxKeys: 4, noNullPrototype: true }),
  ),
}));

test('any JSON value round-trips through both readers (property)', () => {
  fc.assert(
    fc.property(json, (v) => {
      roundTrips(v);
    }),
    { numRuns: 2000 },
  );
});

test('keys come out sorted and undefined is left out', () => {
  const text = yamlDocument({ z: 1, a: { y: undefined, b: 2 } });
  assert.equal(text, 'a:\n  b: 2\nz: 1\n');
  assert.equal(parseAllDocuments(`${text}---\n${text}`).length, 2);
});
