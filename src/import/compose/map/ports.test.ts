import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMappers } from '../testing.ts';
import { addPort, mapPorts, parsePort } from './ports.ts';

test('port syntax: published:target/proto, ranges, long form', () => {
  assert.deepEqual(parsePort('127.0.0.1:8080:80/udp'), [
    { port: 80, protocol: 'UDP', published: '127.0.0.1:8080' },
  ]);
  assert.deepEqual(
    parsePort('3000-3001')?.map((p) => p.port),
    [3000, 3001],
  );
  assert.deepEqual(parsePort({ target: 53, protocol: 'udp' }), [
    { port: 53, protocol: 'UDP', published: undefined },
  ]);
  assert.equal(parsePort('abc'), undefined);
  assert.equal(parsePort('1-500'), undefined, 'ranges over 100 ports are refused');
});

test('one TCP port is the port shorthand; published host ports are approximated', () => {
  const r = runMappers([mapPorts], { ports: ['8080:80'], expose: [80] });
  assert.equal(r.m.port, 80);
  assert.equal(r.at('ports[0]')?.outcome, 'approximated');
  assert.match(r.at('ports[0]')?.note ?? '', /published host port 8080/);
  assert.equal(r.at('expose[0]')?.outcome, 'mapped');
  const multi = runMappers([mapPorts], { ports: ['80', '53/udp'] });
  assert.deepEqual(multi.m.ports, [{ port: 80 }, { port: 53, protocol: 'UDP' }]);
});

test('addPort keeps the shorthand for the first port and lists them after', () => {
  const m = { service: 'a', image: 'a' } as {
    service: string;
    image: string;
    port?: number;
    ports?: { port: number }[];
  };
  addPort(m, 8080);
  assert.equal(m.port, 8080);
  addPort(m, 8080);
  addPort(m, 9090);
  assert.deepEqual(m.ports, [{ port: 8080 }, { port: 9090 }]);
  assert.equal(m.port, undefined);
});
