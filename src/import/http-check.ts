// A health check command that only fetches a local URL — `curl -f http://localhost:8080/health`,
// `wget -q -O- http://127.0.0.1:4000/health || exit 1` — is an HTTP probe on that port and path:
// the kubelet makes the request, so the image needs no curl or wget. Anything else (other flags,
// pipes, another host, HTTPS) stays a command.
import { splitWords } from './compose/shellwords.ts';

export interface HttpCheck {
  port: number;
  path: string;
}

const LOCAL = /^http:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?::(\d{1,5}))?(\/[^\s?#]*)?$/;

/** Flags that change nothing about what a probe checks, with whether each takes a value. */
const CURL: Readonly<Record<string, boolean>> = {
  '-f': false,
  '--fail': false,
  '-s': false,
  '--silent': false,
  '-S': false,
  '--show-error': false,
  '-L': false,
  '--location': false,
  '-I': false,
  '--head': false,
  '-o': true,
  '--output': true,
  '-m': true,
  '--max-time': true,
  '--connect-timeout': true,
};
const WGET: Readonly<Record<string, boolean>> = {
  '-q': false,
  '--quiet': false,
  '--spider': false,
  '-nv': false,
  '--no-verbose': false,
  '-O': true,
  '-T': true,
  '-t': true,
};

function flagsOk(tool: 'curl' | 'wget', words: readonly string[]): string | undefined {
  const known = tool === 'curl' ? CURL : WGET;
  let url: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!w.startsWith('-')) {
      if (url !== undefined) return undefined;
      url = w;
      continue;
    }
    if (w in known) {
      if (known[w]) i++;
      continue;
    }
    // combined short flags (-fsS, -qO-, -sf) and --flag=value forms
    if (/^--(tries|timeout|output-document)=/.test(w) && tool === 'wget') continue;
    if (/^--max-time=/.test(w) && tool === 'curl') continue;
    const short = /^-([a-zA-Z]+)(-?)$/.exec(w);
    if (!short) return undefined;
    const letters = short[1]!.split('');
    const allowed = tool === 'curl' ? 'fsSLI' : 'qO';
    if (!letters.every((l) => allowed.includes(l))) return undefined;
    if (tool === 'wget' && letters.at(-1) === 'O' && short[2] !== '-') i++; // -qO /dev/null
  }
  return url;
}

export function httpCheck(command: string | readonly string[]): HttpCheck | undefined {
  let words = typeof command === 'string' ? splitWords(command) : [...command];
  if (words[0] === '/bin/sh' || words[0] === 'sh') {
    if (words[1] !== '-c' || words.length !== 3) return undefined;
    words = splitWords(words[2]!);
  }
  // `… || exit 1` and `… || false` only turn any failure into exit code 1
  const or = words.indexOf('||');
  if (or >= 0) {
    const rest = words.slice(or + 1).join(' ');
    if (rest !== 'exit 1' && rest !== 'false') return undefined;
    words = words.slice(0, or);
  }
  const tool = words[0]?.split('/').pop();
  if (tool !== 'curl' && tool !== 'wget') return undefined;
  const url = flagsOk(tool, words.slice(1));
  const m = url === undefined ? null : LOCAL.exec(url);
  if (!m) return undefined;
  const port = m[1] === undefined ? 80 : Number(m[1]);
  if (port < 1 || port > 65535) return undefined;
  return { port, path: m[2] ?? '/' };
}
