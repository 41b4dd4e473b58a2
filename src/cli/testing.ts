// Shared by the CLI's tests (*.test.ts beside it): run ferry in-process from the repository root
// (its io captured: run.ts touches no process state), or as a process where a test needs one
// (signals, pipes, the built binary); and temporary directories removed when the test file
// ends. Not part of the build (tsconfig.build.json leaves it out).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { testIo } from './io.ts';
import { runCli } from './run.ts';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const main = join(repoRoot, 'src/cli/main.ts');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `ferry <args>` in-process from the repository root, without colour or debug output; `env` adds variables. */
export async function runFerry(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<CliResult> {
  const io = testIo(args, { env: { ...process.env, NO_COLOR: '1', FERRY_DEBUG: '', ...env }, cwd: repoRoot });
  const code = await runCli(io);
  return { code, stdout: io.out(), stderr: io.err() };
}

/** `ferry <args>` (see runFerry). */
export function ferry(...args: string[]): Promise<CliResult> {
  return runFerry(args);
}

/** `ferry <args>` as a process (tsx-run sources), for what needs one: signals, pipes, exit. */
export function spawnFerry(args: readonly string[], env: Readonly<Record<string, string>> = {}): CliResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', main, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FERRY_DEBUG: '', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
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
