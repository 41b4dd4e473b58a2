// A tiny printer: results on stdout (human text, or exactly one JSON document with -o json),
// progress and notes on stderr — progress only when a person is watching (a TTY) or it is slow.

import { isAbsolute, relative, resolve } from 'node:path';
import { usageError } from '../errors.ts';
import { cliIo, setExitCode, type OutStream } from './io.ts';

/** A path for people: relative to the working directory when inside it, absolute otherwise. */
export function displayPath(file: string): string {
  const r = relative(cliIo().cwd, file);
  return r === '' ? '.' : r.startsWith('..') || isAbsolute(r) ? file : r;
}

export type OutputFormat = 'text' | 'json';

export interface GlobalOptions {
  output?: string;
  color?: boolean;
  dir?: string;
}

export function outputFormat(o: string | undefined): OutputFormat {
  return o === 'json' ? 'json' : 'text';
}

export interface Printer {
  readonly format: OutputFormat;
  /** a line of the human result (ignored with -o json) */
  line(text: string): void;
  /** the JSON result (printed only with -o json) */
  json(value: unknown): void;
  /** "doing X…" on stderr when stderr is a terminal; `slow` forces it (anything over a second) */
  progress(text: string, slow?: boolean): void;
  /** a note or warning on stderr */
  note(text: string): void;
  readonly style: Style;
}

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
}

function makeStyle(enabled: boolean): Style {
  const wrap =
    (open: number, close: number) =>
    (s: string): string =>
      enabled ? `\u001b[${open}m${s}\u001b[${close}m` : s;
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
  };
}

export function colorEnabled(opts: GlobalOptions, stream: OutStream = cliIo().stderr): boolean {
  const env = cliIo().env;
  if (opts.color === false || env.NO_COLOR !== undefined) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY;
}

/** The folder a command works in: -C, else the working directory, as an absolute path. */
export function workDir(opts: GlobalOptions): string {
  return resolve(cliIo().cwd, opts.dir ?? '.');
}

/**
 * The printer of a command that prints text or json. `-o yaml` (accepted globally because render
 * takes it) is refused here with exit 2 instead of silently printing text.
 */
export function createPrinter(opts: GlobalOptions): Printer {
  if (opts.output === 'yaml') {
    throw usageError(
      'E_USAGE',
      '-o yaml is only for ferry render: this command prints text or json',
      'use -o text, the default, or -o json',
    );
  }
  const format = outputFormat(opts.output);
  const { stdout, stderr } = cliIo();
  const style = makeStyle(colorEnabled(opts, format === 'json' ? stderr : stdout));
  return {
    format,
    style,
    line(text) {
      if (format === 'text') stdout.write(`${text}\n`);
    },
    json(value) {
      if (format === 'json') stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    progress(text, slow = false) {
      if (stderr.isTTY || slow) stderr.write(`${style.dim(text)}\n`);
    },
    note(text) {
      stderr.write(`${text}\n`);
    },
  };
}

/**
 * Sets the exit code for a result that was already printed (text or JSON): the run ends with it,
 * without printing a second (error) document.
 */
export function exitWith(code: number): void {
  setExitCode(code);
}
