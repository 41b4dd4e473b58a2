import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMappers } from '../testing.ts';
import { appPorts, mapPorts } from './ports.ts';

test('portMappings: container ports with protocols; host and service ports approximated', () => {
  const r = runMappers([mapPorts], {
    container: {
      docker: {
        portMappings: [
          { containerPort: 8080, hostPort: 0, servicePort: 10000, name: 'web' },
          { containerPort: 53, protocol: 'udp,tcp' },
        ],
      },
    },
  });
  assert.deepEqual(r.m.ports, [{ port: 8080 }, { port: 53, protocol: 'UDP' }, { port: 53 }]);
  assert.deepEqual(appPorts(r.m)[1], { port: 53, protocol: 'UDP' });
  assert.equal(r.at('container.docker.portMappings[0].servicePort')?.to, 'routes');
  assert.equal(r.at('container.docker.portMappings[0].name')?.outcome, 'dropped');
});

test('a random host port read from $PORT0 is fixed at 8080 with PORT and PORT0 set', () => {
  const r = runMappers([mapPorts], {
    cmd: 'serve --port $PORT0',
    portDefinitions: [{ port: 0 }, { port: 0 }],
  });
  assert.equal(r.m.port, 8080);
  assert.deepEqual(r.m.env, { PORT: '8080', PORT0: '8080' });
  assert.equal(r.at('portDefinitions[1]')?.outcome, 'dropped');
  const fixed = runMappers([mapPorts], { ports: [9000] });
  assert.equal(fixed.m.port, 9000);
});
