import type { Command } from './command.js';
import { globalOptions } from './command.js';

/**
 * Shell completion scripts written from the command table itself, so they never fall behind:
 * commands, each command's options, the values an option accepts (a choice list, board names,
 * .toml files, other files), and boards as the positionals of project commands. Board names are
 * those bento ships plus the project's boards/*.toml, looked up when Tab is pressed.
 */
export function bashCompletion(commands: readonly Command[], shippedBoards: readonly string[]): string {
  const q = (words: readonly string[]) => words.join(' ');
  const cases: string[] = [];
  const valueCases: string[] = [];
  for (const cmd of commands) {
    const options = { ...cmd.options, ...globalOptions };
    const flags = Object.entries(options).flatMap(([name, o]) => [`--${name}`, ...(o.short ? [`-${o.short}`] : [])]);
    cases.push(`    ${cmd.name}) opts=${JSON.stringify(q(flags))}; positional=${cmd.positionals ?? 'files'} ;;`);
    for (const [name, o] of Object.entries(options)) {
      if (o.type !== 'string') continue;
      const words = o.choices ? `words ${JSON.stringify(q(o.choices))}` : /^BOARDS?$/.test(o.value ?? '') ? 'boards' : /FILE|DIR|PATH|ELF/.test(o.value ?? '') ? 'files' : 'none';
      const spellings = [`--${name}`, ...(o.short ? [`-${o.short}`] : [])].map((f) => `${cmd.name}:${f}`).join('|');
      valueCases.push(`    ${spellings}) _bento_values ${words}; return ;;`);
    }
  }
  return `# bash completion for bento. Load it with: source <(bento completion bash)
# or install it: bento completion bash > ~/.local/share/bash-completion/completions/bento
_bento_boards() {
  local own=""
  if [[ -d boards ]]; then own=$(cd boards && ls -- *.toml 2>/dev/null | sed 's/\\.toml$//'); fi
  printf '%s\n' ${shippedBoards.join(' ')} $own | sort -u
}
_bento_values() {
  local cur="\${COMP_WORDS[COMP_CWORD]}"
  case "$1" in
    words) COMPREPLY=($(compgen -W "$2" -- "$cur")) ;;
    boards) COMPREPLY=($(compgen -W "$(_bento_boards)" -- "$cur")) ;;
    files) COMPREPLY=($(compgen -f -- "$cur")) ;;
    *) COMPREPLY=() ;;
  esac
}
_bento() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local commands=${JSON.stringify(q([...commands.map((c) => c.name), 'help']))}
  if [[ $COMP_CWORD -eq 1 ]]; then COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur")); return; fi
  local cmd="\${COMP_WORDS[1]}" opts="" positional=files
  if [[ $cmd == help ]]; then COMPREPLY=($(compgen -W "$commands" -- "$cur")); return; fi
  case "$cmd:$prev" in
${valueCases.join('\n')}
  esac
  case "$cmd" in
${cases.join('\n')}
    *) return ;;
  esac
  if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "$opts" -- "$cur")); return; fi
  _bento_values "$positional"
}
complete -F _bento bento
`;
}

/** zsh runs the bash script through its bashcompinit layer, so both shells complete the same way. */
export function zshCompletion(commands: readonly Command[], shippedBoards: readonly string[]): string {
  return `#compdef bento
# zsh completion for bento. Load it with: source <(bento completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(commands, shippedBoards).split('\n').slice(2).join('\n')}`;
}
