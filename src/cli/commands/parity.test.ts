// ferry parity as a process: exit 3 with a blocking difference, 0 without; -o json.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ferry, tempDir } from '../testing.ts';

function marathon(instances: number): string {
  const d = tempDir('ferry-parity-cli-');
  const f = join(d, 'hcn.json');
  writeFileSync(
    f,
    JSON.stringify({
      id: '/anna/hcn',
      cmd: 'python /app/hcn/main.py',
      cpus: 0.5,
      mem: 512,
      instances,
      container: {
        type: 'DOCKER',
        docker: {
          image: 'registry.anna.example.com/anna/hcn:1.0.0',
          portMappings: [{ containerPort: 8080 }],
        },
      },
      healthChecks: [{ protocol: 'HTTP', path: '/healthz', portIndex: 0 }],
    }),
  );
  return f;
}

test('parity against the ANNA example: blocking → exit 3, with a table', async () => {
  const r = await ferry('-C', 'examples/anna', 'parity', '--old', marathon(10), '--env', 'prod');
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stdout, /hcn +instances +10 +4 +BLOCKING/);
  assert.match(r.stdout, /\d+ blocking, \d+ warning/);
});

test('parity -o json: one document; no blocking difference → exit 0', async () => {
  const r = await ferry('-C', 'examples/anna', '-o', 'json', 'parity', '--old', marathon(4), '--env', 'prod');
  const doc = JSON.parse(r.stdout) as {
    ok: boolean;
    rows: { service: string; aspect: string; severity: string }[];
  };
  assert.equal(doc.ok, true, JSON.stringify(doc.rows.filter((x) => x.severity === 'blocking')));
  assert.equal(r.code, 0);
  assert.equal(doc.rows.find((x) => x.service === 'hcn' && x.aspect === 'cpu')?.severity, 'ok');
});
