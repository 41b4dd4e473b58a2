// ferry parity as a process: exit 3 with a blocking difference, 0 without; -o json.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const main = join(root, 'src/cli/main.ts');
const tmp: string[] = [];
after(() => tmp.forEach((d) => rmSync(d, { recursive: true, force: true })));

function ferry(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', main, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function marathon(instances: number): string {
  const d = mkdtempSync(join(tmpdir(), 'ferry-parity-cli-'));
  tmp.push(d);
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

test('parity against the ANNA example: blocking → exit 3, with a table', () => {
  const r = ferry('-C', 'examples/anna', 'parity', '--old', marathon(10), '--env', 'prod');
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stdout, /hcn +instances +10 +4 +BLOCKING/);
  assert.match(r.stdout, /\d+ blocking, \d+ warning/);
});

test('parity -o json: one document; no blocking difference → exit 0', () => {
  const r = ferry('-C', 'examples/anna', '-o', 'json', 'parity', '--old', marathon(4), '--env', 'prod');
  const doc = JSON.parse(r.stdout) as {
    ok: boolean;
    rows: { service: string; aspect: string; severity: string }[];
  };
  assert.equal(doc.ok, true, JSON.stringify(doc.rows.filter((x) => x.severity === 'blocking')));
  assert.equal(r.code, 0);
  assert.equal(doc.rows.find((x) => x.service === 'hcn' && x.aspect === 'cpu')?.severity, 'ok');
});
