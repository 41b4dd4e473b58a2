// The CLI's one error handler: every error becomes a message on stderr (or, with -o json, an
// {"error": …} document on stdout) and an exit code. A user's mistake never shows a stack trace.
// The one place that maps an error's kind to an exit code, and adds the CLI's flag wording to
// hints (the engine's hints name no flags: the server has none).
import { FerryError, InvalidInputError, type ErrorCode, type ErrorKind, type Issue } from '../errors.ts';
import { cliIo } from './io.ts';
import { colorEnabled, displayPath, outputFormat, type GlobalOptions } from './output.ts';

/** Exit codes, documented in docs/cli.md. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  invalidInput: 2,
  /** a deploy or check ran and the result is "no" (failed rollout, parity difference, held lock). */
  rejected: 3,
  /** interrupted by a signal. */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const exitCodes: Record<ErrorKind, ExitCode> = {
  invalid: ExitCode.invalidInput,
  'not-found': ExitCode.invalidInput,
  conflict: ExitCode.rejected,
  rejected: ExitCode.rejected,
  cancelled: ExitCode.interrupted,
  unavailable: ExitCode.failure,
  unauthenticated: ExitCode.failure,
  forbidden: ExitCode.failure,
  internal: ExitCode.failure,
};

export function exitCodeOf(err: FerryError): ExitCode {
  return exitCodes[err.kind];
}

/** The CLI's wording of what to do, where it names a flag or a script; else the error's own hint. */
const cliHints: Partial<Record<ErrorCode, string>> = {
  E_LOCKED: 'wait for it, or pass --wait-lock to queue behind it',
  E_PROTECTED: 'pass --yes to confirm',
  E_KUBECONFIG: 'pass --kubeconfig <file> or set KUBECONFIG; pick a context with --context',
  E_CLUSTER_UNREACHABLE:
    'check --kubeconfig / KUBECONFIG / --context, and that the cluster is up (npm run cluster:up)',
  E_STORE: 'check FERRY_STATE / .ferry/state.db is writable',
  E_NO_DOWN_MIGRATION:
    'roll back without --migrate-down, or deploy a version whose migration has a down command',
  E_RELEASE_NOT_FOUND: 'list releases with `ferry history <service> --env <env>`',
  E_NO_PREVIOUS_RELEASE: 'list releases with `ferry history`',
};

export function hintOf(err: FerryError): string | undefined {
  return cliHints[err.code] ?? err.hint;
}

const shortFile = displayPath;

/** `file:line:col: path: message (hint)` with the file relative to the working directory. */
export function formatIssueLine(i: Issue): string {
  const where = i.loc ? `${shortFile(i.loc.file)}:${i.loc.line}:${i.loc.col}: ` : '';
  const path = i.path ? `${i.path}: ` : '';
  return `${where}${path}${i.message}${i.hint ? ` (${i.hint})` : ''}`;
}

function issueJson(i: Issue): Record<string, unknown> {
  return {
    path: i.path,
    message: i.message,
    ...(i.loc ? { file: shortFile(i.loc.file), line: i.loc.line, col: i.loc.col } : {}),
    ...(i.hint ? { hint: i.hint } : {}),
  };
}

/** Reports `err` and returns the exit code. */
export function reportError(err: unknown, opts: GlobalOptions): number {
  const { stdout, stderr, env } = cliIo();
  const json = outputFormat(opts.output) === 'json';
  const red = (s: string): string => (colorEnabled(opts) ? `\u001b[31m${s}\u001b[39m` : s);
  if (err instanceof FerryError) {
    const issues = err instanceof InvalidInputError ? err.issues : [];
    if (json) {
      const error = {
        code: err.code,
        message: err.message,
        ...(hintOf(err) ? { hint: hintOf(err) } : {}),
        ...(issues.length > 0 ? { issues: issues.map(issueJson) } : {}),
      };
      stdout.write(`${JSON.stringify({ error }, null, 2)}\n`);
    }
    const lines = issues.length > 0 ? issues.map(formatIssueLine) : [];
    const head =
      issues.length > 0
        ? `${red('error')}: ${err.message}`
        : `${red('error')}: ${err.message}${hintOf(err) ? ` (${hintOf(err)})` : ''}`;
    stderr.write(`${[...lines, head].join('\n')}\n`);
    if (env.FERRY_DEBUG === '1' && err.stack) stderr.write(`${err.stack}\n`);
    return exitCodeOf(err);
  }
  const message = err instanceof Error ? err.message : String(err);
  if (json) {
    stdout.write(`${JSON.stringify({ error: { code: 'E_INTERNAL', message } }, null, 2)}\n`);
  }
  stderr.write(`${red('error')}: ${message.split('\n')[0] ?? message}\n`);
  if (env.FERRY_DEBUG === '1' && err instanceof Error && err.stack) stderr.write(`${err.stack}\n`);
  else stderr.write('(set FERRY_DEBUG=1 for the stack trace; this is a bug in ferry if it persists)\n');
  return ExitCode.failure;
}
