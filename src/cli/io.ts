// What one run of the CLI reads and writes: its arguments, environment, working directory, the
// two output streams and the signals it may be sent. `bin/ferry` passes the process's own; tests
// run the CLI in-process with their own (captured streams, an emitter for signals), many at once:
// each run's io travels with its async context, so commands reach it with `cliIo()` and never
// touch `process` themselves.
//
// Output errors never stop a command: a closed pipe (`ferry deploy … | head -3`) turns that
// stream off and the release goes on to a recorded end.
import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';

export interface OutStream {
  write(text: string): void;
  readonly isTTY: boolean;
}

export type CliSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/** Where a run hears its signals: the process, or a test's emitter. */
export interface SignalSource {
  on(signal: CliSignal, listener: () => void): void;
  off(signal: CliSignal, listener: () => void): void;
}

export interface CliIo {
  /** the arguments after `ferry` */
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: OutStream;
  stderr: OutStream;
  signals: SignalSource;
  /** ends the process at once (a third interrupt); tests get an error instead */
  exitNow(code: number): void;
}

interface RunState {
  io: CliIo;
  /** a command that printed its result and still says "no" sets this */
  exitCode: number | undefined;
}

const current = new AsyncLocalStorage<RunState>();

/** The io of the CLI run this code is part of. */
export function cliIo(): CliIo {
  const s = current.getStore();
  if (!s) throw new Error('cliIo() outside a CLI run');
  return s.io;
}

/** Sets the exit code of a result already printed; the run ends with it. */
export function setExitCode(code: number): void {
  const s = current.getStore();
  if (s && code !== 0) s.exitCode = code;
}

export async function withIo(io: CliIo, fn: () => Promise<number>): Promise<number> {
  const state: RunState = { io, exitCode: undefined };
  return current.run(state, async () => {
    const code = await fn();
    return code !== 0 ? code : (state.exitCode ?? 0);
  });
}

/** A stream over a process stream that turns itself off on EPIPE (and any other write error). */
export function guardedStream(stream: NodeJS.WriteStream): OutStream {
  let closed = false;
  stream.on('error', () => {
    closed = true;
  });
  return {
    get isTTY() {
      return stream.isTTY === true;
    },
    write(text) {
      if (closed) return;
      try {
        stream.write(text);
      } catch {
        closed = true;
      }
    },
  };
}

/** The process's own io. */
export function processIo(): CliIo {
  return {
    argv: process.argv.slice(2),
    env: process.env,
    cwd: process.cwd(),
    stdout: guardedStream(process.stdout),
    stderr: guardedStream(process.stderr),
    signals: {
      on: (s, l) => void process.on(s, l),
      off: (s, l) => void process.off(s, l),
    },
    exitNow: (code) => process.exit(code),
  };
}

/** Captured output and a signal emitter: the io of an in-process test run. */
export interface TestIo extends CliIo {
  out(): string;
  err(): string;
  emitter: EventEmitter;
}

export function testIo(
  argv: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): TestIo {
  let out = '';
  let err = '';
  const emitter = new EventEmitter();
  return {
    argv,
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
    stdout: { isTTY: false, write: (t) => void (out += t) },
    stderr: { isTTY: false, write: (t) => void (err += t) },
    signals: { on: (s, l) => void emitter.on(s, l), off: (s, l) => void emitter.off(s, l) },
    exitNow: (code) => {
      throw new Error(`exit ${code}`);
    },
    out: () => out,
    err: () => err,
    emitter,
  };
}
