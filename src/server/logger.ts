// The server's log: pino, one JSON line per event on stdout, with anything that could carry a
// secret redacted by key wherever it appears (tokens, passwords, Authorization headers, URLs
// with credentials).
import pino from 'pino';
import type { Logger } from '../engine/log.ts';

const REDACT = [
  'token',
  'password',
  'authorization',
  'secret',
  '*.token',
  '*.password',
  '*.authorization',
  '*.secret',
  'headers.authorization',
];

export function serverLogger(opts: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  const log = pino(
    {
      level: opts.level ?? 'info',
      base: { service: 'ferry-server' },
      redact: { paths: REDACT, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    opts.destination ?? process.stdout,
  );
  const scrub = (message: string) => message.replace(/(\w+:\/\/[^:/@\s]+):[^@\s]+@/g, '$1:***@');
  return {
    debug: (f, m) => log.debug(f, scrub(m)),
    info: (f, m) => log.info(f, scrub(m)),
    warn: (f, m) => log.warn(f, scrub(m)),
    error: (f, m) => log.error(f, scrub(m)),
  };
}
