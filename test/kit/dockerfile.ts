// Reading a Dockerfile and a .dockerignore the way docker does, for tests on a machine with no
// Docker engine: instructions (continuations joined, comments dropped) grouped by stage, and the
// build context the ignore rules leave.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface Instruction {
  /** upper case: FROM, RUN, COPY… */
  op: string;
  args: string;
  line: number;
}

export interface Stage {
  name: string | undefined;
  from: string;
  index: number;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** ARGs before the first FROM */
  args: Instruction[];
  stages: Stage[];
}

export function parseDockerfile(text: string): Dockerfile {
  const out: Dockerfile = { args: [], stages: [] };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    while (line.endsWith('\\') && i + 1 < lines.length) {
      line = `${line.slice(0, -1)} `;
      i += 1;
      const next = lines[i]!;
      if (!/^\s*#/.test(next)) line += next.trim();
    }
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!m) throw new Error(`Dockerfile line ${start}: cannot read "${line}"`);
    const ins: Instruction = {
      op: m[1]!.toUpperCase(),
      args: m[2]!.replace(/\s+/g, ' ').trim(),
      line: start,
    };
    if (ins.op === 'FROM') {
      const from = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      if (!from) throw new Error(`Dockerfile line ${start}: cannot read FROM ${ins.args}`);
      out.stages.push({ name: from[2], from: from[1]!, index: out.stages.length, instructions: [] });
    } else if (out.stages.length === 0) {
      if (ins.op !== 'ARG') throw new Error(`Dockerfile line ${start}: ${ins.op} before FROM`);
      out.args.push(ins);
    } else {
      out.stages.at(-1)!.instructions.push(ins);
    }
  }
  return out;
}

/** COPY's sources and destination, and its --from stage. Exec-form (JSON) COPY is not used here. */
export function copyOf(ins: Instruction): { from: string | undefined; sources: string[]; dest: string } {
  const words = ins.args.split(' ');
  let from: string | undefined;
  while (words[0]?.startsWith('--')) {
    const flag = words.shift()!;
    if (flag.startsWith('--from=')) from = flag.slice('--from='.length);
  }
  const dest = words.pop() ?? '';
  return { from, sources: words, dest };
}

/** A .dockerignore pattern as a regular expression over slash-separated paths (Go's filepath.Match and **). */
function patternRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i += 1;
      if (pattern[i + 1] === '/') i += 1; // "**/" also matches nothing
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export interface IgnoreRule {
  negate: boolean;
  regex: RegExp;
}

export function parseDockerignore(text: string): IgnoreRule[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const p = (negate ? l.slice(1) : l).trim().replace(/^\/+|\/+$/g, '');
      return { negate, regex: patternRegex(p) };
    });
}

/** Whether docker leaves `path` out of the context: the last rule that matches it or a parent decides. */
export function ignored(rules: readonly IgnoreRule[], path: string): boolean {
  const parts = path.split('/');
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let out = false;
  for (const r of rules) if (prefixes.some((p) => r.regex.test(p))) out = !r.negate;
  return out;
}

/** Every file of the build context at `root` (relative, slash-separated). node_modules and .git
 * are not walked: the rules must leave them out, which the caller checks on the folders. */
export function contextFiles(root: string, rules: readonly IgnoreRule[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const rel = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== '.git') walk(rel);
      } else if (entry.isFile() && !ignored(rules, rel)) out.push(rel);
    }
  };
  walk('');
  return out.sort();
}
