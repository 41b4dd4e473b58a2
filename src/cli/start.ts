// How the CLI process starts: run `main` now, or — while Node builds the start-up snapshot
// (scripts/build.mjs, `node --build-snapshot dist/ferry.cjs`) — load every module ferry may need
// and leave `main` to run when a process starts from the snapshot (bin/ferry). A snapshot
// process gets argv as [node, <ferry root>, ...args]: the root locates package.json and schema/.
import { startupSnapshot } from 'node:v8';

type Main = (argv: readonly string[]) => Promise<number>;

/** The folder ferry runs from while a snapshot-started process runs (else undefined). */
export function snapshotRoot(): string | undefined {
  return (globalThis as { __ferryRoot?: string }).__ferryRoot;
}

function run(main: Main, done: (code: number) => void, interrupted: number): void {
  process.once('SIGINT', () => {
    // commands that clean up on interruption (deploy) add their own listener and exit themselves
    if (process.listenerCount('SIGINT') === 0) process.exit(interrupted);
  });
  void main(process.argv).then(done);
}

export function start(
  main: Main,
  done: (code: number) => void,
  interrupted: number,
  warm: () => Promise<unknown>,
): void {
  if (!startupSnapshot.isBuildingSnapshot()) return run(main, done, interrupted);
  void warm();
  startupSnapshot.setDeserializeMainFunction(() => {
    (globalThis as { __ferryRoot?: string }).__ferryRoot = process.argv[1];
    run(main, done, interrupted);
  });
}
