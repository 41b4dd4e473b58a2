// How the CLI process starts: run `main` now, or — while Node builds the start-up snapshot
// (scripts/build.mjs: `node --build-snapshot dist/ferry.cjs`) — load what ferry may need
// (warm.ts) and leave `main` to run when a process starts from the snapshot (bin/ferry). A
// snapshot process gets argv as [node, <ferry root>, ...args], like [node, script, ...args]; the
// root locates package.json and schema/ (scripts/build.mjs: __ferryRoot).
import { startupSnapshot } from 'node:v8';

/** `main` throwing is a bug: said on stderr, exit 1 (as a failed top-level await would). */
function run(main: () => Promise<void>): void {
  main().catch((e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}

export function start(main: () => Promise<void>, warm: () => Promise<void>): void {
  if (!startupSnapshot.isBuildingSnapshot()) return run(main);
  // a failed warm-up fails the snapshot build (the build then goes without a snapshot)
  void warm();
  startupSnapshot.setDeserializeMainFunction(() => {
    (globalThis as { __ferryRoot?: string }).__ferryRoot = process.argv[1];
    run(main);
  });
}
