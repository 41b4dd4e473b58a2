// `ferry completion bash|zsh|fish`: a shell completion script generated from the command tree
// itself (every command, its flags), as kubectl and helm print theirs. Values of `--env` and
// service arguments are completed from the project in the current folder through the hidden
// `ferry __complete environments|services`.
import type { Command, Option } from 'commander';
import { usageError } from '../../errors.ts';
import { cliIo } from '../io.ts';
import { workDir, type GlobalOptions } from '../output.ts';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof SHELLS)[number];

interface Spec {
  name: string;
  description: string;
  flags: { long: string | undefined; short: string | undefined; description: string; takesValue: boolean }[];
  /** the first argument names a service (deploy, rollback, history, diff, status, render, chart) */
  serviceArg: boolean;
}

const SERVICE_COMMANDS = new Set([
  'deploy',
  'rollback',
  'history',
  'diff',
  'status',
  'render',
  'chart',
  'logs',
]);

function flagOf(o: Option): Spec['flags'][number] {
  return { long: o.long, short: o.short, description: o.description, takesValue: o.required || o.optional };
}

function specs(program: Command): { global: Spec['flags']; commands: Spec[] } {
  return {
    global: program.options.map(flagOf),
    commands: program.commands
      .filter((c) => !c.name().startsWith('__'))
      .map((c) => ({
        name: c.name(),
        description: c.description(),
        flags: c.options.map(flagOf),
        serviceArg: SERVICE_COMMANDS.has(c.name()),
      })),
  };
}

const q = (s: string) => s.replace(/'/g, "'\\''");

function bash(s: ReturnType<typeof specs>): string {
  const global = s.global.flatMap((f) => [f.long, f.short].filter(Boolean)).join(' ');
  const cases = s.commands
    .map((c) => {
      const flags = c.flags.flatMap((f) => [f.long, f.short].filter(Boolean)).join(' ');
      return `    ${c.name}) opts='${flags} ${global}'; svc=${c.serviceArg ? 1 : 0} ;;`;
    })
    .join('\n');
  return `# ferry completion for bash: source <(ferry completion bash)
_ferry() {
  local cur prev cmd opts svc i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  cmd=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in -*) ;; *) cmd="\${COMP_WORDS[i]}"; break ;; esac
  done
  case "$prev" in
    -e|--env) COMPREPLY=($(compgen -W "$(ferry __complete environments 2>/dev/null)" -- "$cur")); return ;;
    -o|--output) COMPREPLY=($(compgen -W "text json yaml" -- "$cur")); return ;;
    -C|--dir|--out|--kubeconfig) COMPREPLY=($(compgen -f -- "$cur")); return ;;
  esac
  if [ -z "$cmd" ]; then
    COMPREPLY=($(compgen -W "${s.commands.map((c) => c.name).join(' ')} ${global}" -- "$cur")); return
  fi
  opts=''; svc=0
  case "$cmd" in
${cases}
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$opts" -- "$cur")); return; fi
  if [ "$svc" = 1 ]; then COMPREPLY=($(compgen -W "$(ferry __complete services 2>/dev/null)" -- "$cur")); fi
}
complete -F _ferry ferry
`;
}

function zsh(s: ReturnType<typeof specs>): string {
  const arg = (f: Spec['flags'][number]) => {
    const names = [f.short, f.long].filter(Boolean) as string[];
    const value = f.takesValue
      ? f.long === '--env'
        ? ':environment:_ferry_envs'
        : f.long === '--output'
          ? ':format:(text json yaml)'
          : ':value:_files'
      : '';
    const spec = names.length > 1 ? `{${names.join(',')}}` : names[0];
    return `'${names.length > 1 ? `(${names.join(' ')})` : ''}'${spec}'[${q(f.description).replace(/[[\]]/g, '')}]${value}'`;
  };
  const cmds = s.commands.map((c) => `    '${c.name}:${q(c.description).replace(/:/g, '\\:')}'`).join('\n');
  const cases = s.commands
    .map(
      (c) =>
        `    ${c.name}) _arguments ${[...c.flags, ...s.global].map(arg).join(' ')}${c.serviceArg ? " '*:service:_ferry_services'" : ''} ;;`,
    )
    .join('\n');
  return `#compdef ferry
# ferry completion for zsh: ferry completion zsh > "\${fpath[1]}/_ferry"
_ferry_envs() { local -a e; e=(\${(f)"$(ferry __complete environments 2>/dev/null)"}); _describe environment e }
_ferry_services() { local -a s; s=(\${(f)"$(ferry __complete services 2>/dev/null)"}); _describe service s }
_ferry() {
  local -a commands
  commands=(
${cmds}
  )
  if (( CURRENT == 2 )); then _describe command commands; return; fi
  local cmd=\${words[2]}
  shift words; (( CURRENT-- ))
  case $cmd in
${cases}
  esac
}
compdef _ferry ferry
`;
}

function fish(s: ReturnType<typeof specs>): string {
  const line = (cond: string, f: Spec['flags'][number]) =>
    `complete -c ferry ${cond}${f.long ? ` -l ${f.long.slice(2)}` : ''}${f.short ? ` -s ${f.short.slice(1)}` : ''}${f.takesValue ? ' -r' : ''} -d '${q(f.description)}'${f.long === '--env' ? " -a '(ferry __complete environments 2>/dev/null)'" : f.long === '--output' ? " -a 'text json yaml'" : ''}`;
  const out = ['# ferry completion for fish: ferry completion fish | source', 'complete -c ferry -f'];
  for (const c of s.commands) {
    out.push(`complete -c ferry -n __fish_use_subcommand -a ${c.name} -d '${q(c.description)}'`);
    const cond = `-n '__fish_seen_subcommand_from ${c.name}'`;
    for (const f of c.flags) out.push(line(cond, f));
    if (c.serviceArg) out.push(`complete -c ferry ${cond} -a '(ferry __complete services 2>/dev/null)'`);
  }
  for (const f of s.global) out.push(line('', f));
  return `${out.join('\n')}\n`;
}

export function completionScript(program: Command, shell: Shell): string {
  const s = specs(program);
  return shell === 'bash' ? bash(s) : shell === 'zsh' ? zsh(s) : fish(s);
}

export function register(program: Command): void {
  program
    .command('completion')
    .description('print a shell completion script: bash, zsh or fish')
    .argument('<shell>', SHELLS.join(', '))
    .action((shell: string) => {
      if (!(SHELLS as readonly string[]).includes(shell)) {
        throw usageError('E_USAGE', `no completion for "${shell}"`, `use one of ${SHELLS.join(', ')}`);
      }
      cliIo().stdout.write(completionScript(program, shell as Shell));
    });
  program
    .command('__complete', { hidden: true })
    .argument('<what>', 'environments or services')
    .action(async (what: string, _f: GlobalOptions, cmd: Command) => {
      const { loadApp } = await import('../../manifest/load.ts');
      try {
        const app = await loadApp(workDir(cmd.optsWithGlobals<GlobalOptions>()));
        const names =
          what === 'environments'
            ? Object.keys(app.platform.manifest.environments)
            : app.services.map((s) => s.name);
        cliIo().stdout.write(names.map((n) => `${n}\n`).join(''));
      } catch {
        // no project here, or one that does not load: nothing to offer
      }
    });
}
