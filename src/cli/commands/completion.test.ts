// The completion scripts are real shell code: each shell parses it, and bash completes commands,
// flags and the project's environments and services through the hidden `ferry __complete`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ferry, repoRoot, tempDir } from '../testing.ts';

const main = fileURLToPath(new URL('../main.ts', import.meta.url));

test('completion bash|zsh|fish parse in their shells; an unknown shell is exit 2', async () => {
  for (const shell of ['bash', 'zsh', 'fish']) {
    const r = await ferry('completion', shell);
    assert.equal(r.code, 0, r.stderr);
    for (const c of ['deploy', 'rollback', 'status', 'history', 'diff', 'logs', 'render', 'validate'])
      assert.match(r.stdout, new RegExp(`\\b${c}\\b`), `${shell}: ${c}`);
    const file = join(tempDir('ferry-completion-'), `ferry.${shell}`);
    writeFileSync(file, r.stdout);
    const check = spawnSync(shell, [shell === 'fish' ? '--no-execute' : '-n', file], { encoding: 'utf8' });
    assert.equal(check.status, 0, `${shell} -n: ${check.stderr}`);
  }
  const bad = await ferry('completion', 'tcsh');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /no completion for "tcsh" \(use one of bash, zsh, fish\)/);
});

test('bash completes commands, a command’s flags, --env from the project and service names', async () => {
  const script = (await ferry('completion', 'bash')).stdout;
  const complete = (words: string[]) => {
    const r = spawnSync(
      'bash',
      [
        '-c',
        `ferry() { ${JSON.stringify(process.execPath)} --import tsx ${JSON.stringify(main)} "$@"; }
${script}
cd ${JSON.stringify(`${repoRoot}examples/anna`)}
COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')}); COMP_CWORD=${words.length - 1}
_ferry; printf '%s\\n' "\${COMPREPLY[@]}"`,
      ],
      { encoding: 'utf8', cwd: repoRoot },
    );
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim().split('\n').filter(Boolean);
  };
  assert.deepEqual(complete(['ferry', 'dep']), ['deploy']);
  assert.ok(complete(['ferry', 'deploy', '--wa']).includes('--wait-lock'));
  assert.deepEqual(complete(['ferry', 'deploy', '--env', '']).sort(), ['prod', 'test']);
  assert.deepEqual(complete(['ferry', 'rollback', 'h']), ['hcn']);
});
