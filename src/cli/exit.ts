// The CLI's one error handler: every error becomes a message on stderr (or, with -o json, an
// {"error": …} document on stdout) and an exit code. A user's mistake never shows a stack trace.
import { ExitCode, FerryError, InvalidInputError, type Issue } from '../errors.ts';
import { colorEnabled, displayPath, outputFormat, type GlobalOptions } from './output.ts';

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
  const json = outputFormat(opts.output) === 'json';
  const red = (s: string): string => (colorEnabled(opts) ? `\u001b[31m${s}\u001b[39m` : s);
  if (err instanceof FerryError) {
    const issues = err instanceof InvalidInputError ? err.issues : [];
    if (json) {
      const error = {
        code: err.code,
        message: err.message,
        ...(err.hint ? { hint: err.hint } : {}),
        ...(issues.length > 0 ? { issues: issues.map(issueJson) } : {}),
      };
      process.stdout.write(`${JSON.stringify({ error }, null, 2)}\n`);
    }
    const lines = issues.length > 0 ? issues.map(formatIssueLine) : [];
    const head =
      issues.length > 0
        ? `${red('error')}: ${err.message}`
        : `${red('error')}: ${err.message}${err.hint ? ` (${err.hint})` : ''}`;
    process.stderr.write(`${[...lines, head].join('\n')}\n`);
    if (process.env.FERRY_DEBUG === '1' && err.stack) process.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  if (json) {
    process.stdout.write(`${JSON.stringify({ error: { code: 'E_INTERNAL', message } }, null, 2)}\n`);
  }
  process.stderr.write(`${red('error')}: ${message.split('\n')[0] ?? message}\n`);
  if (process.env.FERRY_DEBUG === '1' && err instanceof Error && err.stack)
    process.stderr.write(`${err.stack}\n`);
  else
    process.stderr.write('(set FERRY_DEBUG=1 for the stack trace; this is a bug in ferry if it persists)\n');
  return ExitCode.failure;
}
