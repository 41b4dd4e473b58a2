// Shared by the CLI's process tests (*.test.ts beside it): run ferry as a process from the repository
// root, and make temporary directories that are removed when the test file ends. Not part of the
// build (tsconfig.build.json leaves it out).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const main = join(repoRoot, 'src/cli/main.ts');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `ferry <args>` from the repository root, without colour or debug output; `env` adds variables. */
export function runFerry(args: readonly string[], env: Readonly<Record<string, string>> = {}): CliResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', main, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FERRY_DEBUG: '', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `ferry <args>` (see runFerry). */
export function ferry(...args: string[]): CliResult {
  return runFerry(args);
}

const dirs: string[] = [];
// registered when a test file imports this module, so it runs when the file's tests end
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A new temporary directory holding `files` (relative path → text), removed after the test file. */
export function tempDir(prefix: string, files: Readonly<Record<string, string>> = {}): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(d, p, '..'), { recursive: true });
    writeFileSync(join(d, p), text);
  }
  return d;
}
