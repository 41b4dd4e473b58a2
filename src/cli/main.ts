#!/usr/bin/env node
// bin/ferry's entry: the CLI (run.ts) with the process's own io. What only a process has lives
// here: an uncaught error anywhere cancels the running release (it ends recorded, the cluster
// brought back) before the process exits 1; the exit waits for the output to be flushed; parsed
// manifests are cached across runs (manifest/parse-cache.ts). It runs
// now, or — while `npm run build` makes the start-up snapshot — when a process starts from it
// (start.ts).
import { parseCacheDirFrom, setParseCacheDir } from '../manifest/parse-cache.ts';
import { ExitCode } from './exit.ts';
import { processIo } from './io.ts';
import { runCli } from './run.ts';
import { start } from './start.ts';

async function main(): Promise<void> {
  const io = processIo();
  // a process keeps parsed manifests across runs (in-process test runs of runCli do not)
  setParseCacheDir(parseCacheDirFrom(io.env));
  let crashed = false;
  const crash = (e: unknown) => {
    if (crashed) return;
    crashed = true;
    io.stderr.write(
      `error: ${e instanceof Error ? e.message : String(e)} (a bug in ferry: cancelling what runs)\n`,
    );
    // the commands that hold a release listen for SIGTERM: cancel, revert, record, then return
    process.emit('SIGTERM');
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);

  const code = await runCli(io);
  const exit = crashed && code === ExitCode.ok ? ExitCode.failure : code;
  process.stdout.write('', () => process.stderr.write('', () => process.exit(exit)));
}

start(main, async () => (await import('./warm.ts')).warm());
